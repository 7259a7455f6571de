import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';

/**
 * No Docker engine runs where the tests run, so the compose file is checked as data: against the
 * compose-spec schema, and for every image, port, volume and file it names.
 */
const ROOT = path.resolve(__dirname, '..');
const DOCKER = path.join(ROOT, 'docker');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Compose's variable interpolation: `${X}`, `${X:-default}`, `${X:?error}`, `$$` for a literal `$`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (match, name?: string, kind?: string, rest?: string) => {
      if (match === '$$') return '$';
      const value = env[name!];
      if (value) return value;
      if (kind === '?') throw new Error(`${name}: ${rest}`);
      return kind === '-' ? rest! : '';
    },
  );
}

function dropDraft4Ids(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.id === 'string') delete record.id;
  for (const value of Object.values(record)) dropDraft4Ids(value);
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string } } };
  restart?: string;
}
interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composeText = read('docker/docker-compose.yml');
const load = (env: Record<string, string>) => parse(interpolate(composeText, env), { merge: true }) as ComposeFile;
const compose = load({ JWT_SECRET: 'a-random-secret-for-the-compose-check-0123456789' });
const dockerfile = read('docker/Dockerfile');
const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((match) => ({
  base: match[1],
  name: match[2],
}));

/** The ports a service's process listens on, from its own configuration. */
function listenPorts(name: string, service: Service): number[] {
  if (name === 'nginx')
    return [...read('docker/nginx.conf').matchAll(/^\s*listen\s+(\d+);/gm)].map((m) => Number(m[1]));
  if (name === 'kinesis') return [Number(/"--port", "(\d+)"/.exec(dockerfile)![1])];
  const known: Record<string, number[]> = { redis: [6379], mysql: [3306], prometheus: [9090], grafana: [3000] };
  if (known[name]) return known[name];
  const env = service.environment ?? {};
  const isWorker = service.command?.some((part) => part.includes('worker/src/main.js'));
  return isWorker ? [Number(env.METRICS_PORT)] : [Number(env.PORT)];
}

/** `host:port` of the service a URL names, e.g. redis://redis:6379 → ['redis', 6379]. */
function target(url: string): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname, Number(parsed.port)];
}

describe('docker/docker-compose.yml', () => {
  it('is valid against the compose-spec JSON schema', () => {
    const schema = JSON.parse(read('docker/schema/compose-spec.json')) as {
      $schema: string;
      properties: Record<string, unknown>;
    };
    // Ajv names the draft 2019-09 meta-schema by its https URL, without the empty fragment, and
    // refuses draft-04's `id` keywords, which the file still has (names only, never referenced).
    schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
    dropDraft4Ids(schema);
    // The vendored release predates the top-level project name (docker/schema/README.md).
    schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);

    const valid = validate(compose);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The check is not vacuous: a misspelt key or a mistyped value is refused.
    const misspelt = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    misspelt.services.worker.helthcheck = misspelt.services.worker.healthcheck;
    expect(validate(misspelt)).toBe(false);
    const mistyped = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    mistyped.services.api.deploy = { replicas: 'two' };
    expect(validate(mistyped)).toBe(false);
  });

  it('refuses to start without a JWT secret instead of shipping a default one', () => {
    expect(() => load({})).toThrow(/JWT_SECRET: set JWT_SECRET to a random secret/);
  });

  it('builds its own images from stages of docker/Dockerfile and pins every other image to a version', () => {
    const stageNames = stages.map((stage) => stage.name);
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        expect(existsSync(path.join(DOCKER, service.build.context, service.build.dockerfile))).toBe(true);
        expect({ name, target: service.build.target }).toEqual({ name, target: expect.any(String) });
        expect(stageNames).toContain(service.build.target);
        expect(service.image).toMatch(/:local$/);
      } else {
        expect({ name, image: service.image }).toEqual({
          name,
          image: expect.stringMatching(/^[a-z0-9./-]+:[\w.-]+$/),
        });
        expect(service.image).not.toMatch(/:latest$/);
      }
    }
  });

  it('runs Node 22 LTS in every image while the code keeps supporting Node 20.19', () => {
    const nodeBases = stages.filter((stage) => stage.base.startsWith('node:'));
    expect(nodeBases.length).toBeGreaterThan(0);
    for (const stage of nodeBases) expect(stage.base).toMatch(/^node:22-/);
    expect((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node).toBe('>=20.19');
  });

  it('has no Kinesis emulator in the runtime image, which is the default target', () => {
    const packageJson = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(packageJson.dependencies).not.toHaveProperty('kinesalite');
    expect(packageJson.devDependencies).toHaveProperty('kinesalite');
    expect(stages.at(-1)!.name).toBe('runtime');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toContain('COPY --from=build /app/node_modules ./node_modules');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(runtime).not.toMatch(/kinesalite/);
    expect(runtime).toMatch(/NO_COLOR=1/);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(compose.services.api.build?.target).toBe('runtime');
    expect(compose.services.kinesis.build?.target).toBe('kinesis-emulator');
  });

  it('gives every long-running service a health check and resource limits', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const limits = service.deploy?.resources?.limits;
      expect({ name, cpus: limits?.cpus, memory: limits?.memory }).toEqual({
        name,
        cpus: expect.stringMatching(/^\d+(\.\d+)?$/),
        memory: expect.stringMatching(/^\d+[MG]$/),
      });
      if (service.restart === 'no') continue;
      expect({ name, test: service.healthcheck?.test?.[0] }).toEqual({ name, test: expect.stringMatching(/^CMD/) });
    }
    expect(compose.services.worker.deploy?.replicas).toBe(3);
    expect(compose.services.api.deploy?.replicas).toBe(2);
    const appEnv = compose.services.api.environment!;
    expect(appEnv).toMatchObject({ NODE_ENV: 'production', NO_COLOR: '1', LOG_FORMAT: 'json' });
    // The heap fits in the container.
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(appEnv.NODE_OPTIONS)![1]);
    expect(heapMb).toBeLessThan(Number(compose.services.api.deploy!.resources!.limits!.memory!.replace('M', '')));
  });

  it('names only ports that the services listen on', () => {
    const services = compose.services;
    const listening = (name: string) => listenPorts(name, services[name]);
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.expose ?? [])
        expect({ name, port: Number(port) }).toEqual({ name, port: listening(name)[0] });
      for (const mapping of service.ports ?? []) {
        expect({ name, port: Number(mapping.split(':').at(-1)) }).toEqual({ name, port: listening(name)[0] });
      }
      const healthUrl = service.healthcheck?.test?.join(' ').match(/https?:\/\/127\.0\.0\.1:(\d+)/);
      if (healthUrl) expect({ name, port: Number(healthUrl[1]) }).toEqual({ name, port: listening(name)[0] });
    }
    const env = services.api.environment!;
    for (const url of [env.REDIS_URL, env.DATABASE_URL, env.KINESIS_ENDPOINT]) {
      const [host, port] = target(url);
      expect(listening(host)).toContain(port);
    }
    const upstream = /server\s+(\w+):(\d+);/.exec(read('docker/nginx.conf'))!;
    expect(listening(upstream[1])).toContain(Number(upstream[2]));
    const prometheus = parse(read('docker/observability/prometheus/prometheus.yml')) as {
      scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const scraped = prometheus.scrape_configs.flatMap((job) => job.dns_sd_configs);
    expect(scraped.map((config) => config.names[0]).sort()).toEqual(['api', 'worker']);
    for (const config of scraped) expect(listening(config.names[0])).toContain(config.port);
    const datasource = read('docker/observability/grafana/provisioning/datasources/prometheus.yml');
    const [host, port] = target(/url: (\S+)/.exec(datasource)![1]);
    expect(listening(host)).toContain(port);
  });

  it('declares every named volume and mounts only files and folders that exist', () => {
    const mounts = new Map<string, string>();
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const [source, containerPath] = volume.split(':');
        if (source.startsWith('.')) {
          expect({ name, source, exists: existsSync(path.join(DOCKER, source)) }).toEqual({
            name,
            source,
            exists: true,
          });
          mounts.set(containerPath, path.join(DOCKER, source));
        } else {
          expect(Object.keys(compose.volumes)).toContain(source);
        }
      }
    }
    // Grafana's provisioning points at the mounted dashboards, and its home dashboard is one of them.
    const provider = read('docker/observability/grafana/provisioning/dashboards/stockwall.yml');
    const dashboardsPath = /path: (\S+)/.exec(provider)![1];
    expect(statSync(mounts.get(dashboardsPath)!).isDirectory()).toBe(true);
    const home = compose.services.grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(existsSync(path.join(mounts.get(path.dirname(home))!, path.basename(home)))).toBe(true);
    expect(read('docker/observability/prometheus/prometheus.yml')).toContain('/etc/prometheus/alert-rules.yml');
    expect(mounts.has('/etc/prometheus/alert-rules.yml')).toBe(true);
  });
});

describe('docker/observability', () => {
  /** Every metric name the code registers, from `name: 'stockwall_…'` and the default-metric prefixes. */
  function registeredMetrics(): Set<string> {
    const names = new Set<string>();
    const walk = (directory: string) => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const file = path.join(directory, entry.name);
        if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dashboard') walk(file);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
          for (const match of readFileSync(file, 'utf8').matchAll(/name: '(stockwall_[a-z_]+)'/g)) names.add(match[1]);
        }
      }
    };
    walk(path.join(ROOT, 'apps'));
    walk(path.join(ROOT, 'libs'));
    return names;
  }
  const queries = () => {
    const dashboard = JSON.parse(read('docker/observability/grafana/dashboards/stockwall.json')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const rules = parse(read('docker/observability/prometheus/alert-rules.yml')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    return {
      alerts: rules.groups.flatMap((group) => group.rules),
      expressions: [
        ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
        ...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      ],
    };
  };

  it('queries only metrics that the code registers', () => {
    const registered = registeredMetrics();
    const { expressions } = queries();
    const used = new Set(expressions.flatMap((expr) => expr.match(/stockwall_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      const defaultMetric = /^stockwall_api_(process|nodejs)_/.test(name);
      expect({ name, registered: defaultMetric || registered.has(base) || registered.has(name) }).toEqual({
        name,
        registered: true,
      });
    }
  });

  it('documents every alert in docs/operations.md', () => {
    const operations = read('docs/operations.md');
    const { alerts } = queries();
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const alert of alerts)
      expect({ alert: alert.alert, documented: operations.includes(`\`${alert.alert}\``) }).toEqual({
        alert: alert.alert,
        documented: true,
      });
  });
});
