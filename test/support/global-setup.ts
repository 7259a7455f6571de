import { existsSync } from 'node:fs';
import { ensureMariaDb, ensureRedis, LocalStackError, type LocalService } from '../../libs/local-stack/src';

// Jest loads this file with plain require(), so the @stockwall/* path aliases are not available here.

export interface LocalStackHandles {
  redis?: LocalService;
  mariaDb?: LocalService;
}

export const handlesKey = '__stockwallLocalStack';

const CHROMIUM_PATH = '/usr/bin/chromium';

/** Makes sure Redis and MariaDB answer before the e2e specs run, and points REDIS_URL / DATABASE_URL at them. */
export default async function globalSetup(): Promise<void> {
  const handles: LocalStackHandles = {};
  // Teardown reads this; setup, teardown and (with --runInBand) the specs share one process.
  (globalThis as Record<string, unknown>)[handlesKey] = handles;
  try {
    handles.redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    report('Redis', handles.redis);
    process.env.REDIS_URL = handles.redis.url;

    handles.mariaDb = await ensureMariaDb(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/stockwall');
    report('MariaDB', handles.mariaDb);
    process.env.DATABASE_URL = handles.mariaDb.url;
  } catch (error) {
    await Promise.allSettled([handles.redis?.stop(), handles.mariaDb?.stop()]);
    if (error instanceof LocalStackError) console.error(`\n${error.message}\n`);
    throw error;
  }

  if (!existsSync(CHROMIUM_PATH)) console.log('Chromium is missing for the browser test: apt-get install -y chromium');
}

function report(name: string, service: LocalService): void {
  if (service.started) console.log(`\n${name}: started a private instance at ${service.url} (${service.reason ?? ''})`);
}
