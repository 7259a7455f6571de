import type { IngestCluster } from '../../test/support/ingest-cluster';
import type { IngestTraffic } from '../../test/support/ingest-traffic';

/** Puts the traffic's opening events and then `total` events in all (500 per put, 8 puts in flight). */
export async function preload(cluster: IngestCluster, traffic: IngestTraffic, total: number): Promise<void> {
  const started = Date.now();
  await cluster.publisher.publish(traffic.opening());
  let sent = traffic.skus.length;
  const inFlight = new Set<Promise<void>>();
  while (sent < total) {
    const count = Math.min(500, total - sent);
    const batch = traffic.next(count);
    sent += count;
    const put = cluster.publisher.publish(batch).finally(() => inFlight.delete(put));
    inFlight.add(put);
    if (inFlight.size >= 8) await Promise.race(inFlight);
    if (sent % 100_000 < 500)
      console.log(`  pre-loaded ${sent} events (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  await Promise.all(inFlight);
}
