import { handlesKey, type LocalStackHandles } from './global-setup';

/** Stops the private services that global setup started; services that were already running are left alone. */
export default async function globalTeardown(): Promise<void> {
  const handles = (globalThis as Record<string, unknown>)[handlesKey] as LocalStackHandles | undefined;
  if (!handles) return;
  await Promise.allSettled([handles.redis?.stop(), handles.mariaDb?.stop()]);
  delete (globalThis as Record<string, unknown>)[handlesKey];
}
