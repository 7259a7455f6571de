// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioPackages = ['@nestjs/*', 'ioredis', 'bullmq', 'typeorm', 'mysql2', 'socket.io', '@aws-sdk/*', 'kinesalite'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/dashboard/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Interface implementations are async by contract even when one has nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The pure core: decoding, validation, folding. No I/O frameworks allowed in here.
    files: ['libs/contracts/src/**/*.ts', 'libs/ingest/src/core/**/*.ts', 'libs/aggregation/src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ioPackages }] },
  },
  {
    // The command line and test tooling talk to a terminal on purpose.
    files: ['apps/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'libs/local-stack/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    // Tests read JSON bodies whose shape the assertions check.
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
