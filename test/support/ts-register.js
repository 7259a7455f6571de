// Runs the TypeScript sources of an app in a child process without a build: compiles each .ts
// file with SWC on require (the same settings as the Jest transform) and resolves the
// @stockwall/* path aliases. Tests spawn worker processes with `node -r <this file>`.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const aliases = {
  contracts: 1,
  config: 1,
  ingest: 1,
  aggregation: 1,
  persistence: 1,
  'local-stack': 1,
  platform: 1,
  digests: 1,
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const match = /^@stockwall\/([a-z-]+)(\/.*)?$/.exec(request);
  if (match && aliases[match[1]]) request = path.join(root, 'libs', match[1], 'src', match[2] ?? '');
  return resolveFilename.call(this, request, ...rest);
};

Module._extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  });
  module._compile(code, filename);
};
