import type { Command } from 'commander';
import { loadConfig } from '@stockwall/config';
import type { EventPublisher } from '@stockwall/ingest';
import { TrafficGenerator } from '../simulation/traffic-generator';
import { positiveNumber } from './cli-error';
import { openStreamProducer } from './stream-producer';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('send generated orders, restocks and corrections to the stream')
    .requiredOption('--rate <events/s>', 'events per second')
    .option('--duration <s>', 'stop after this many seconds (default: until Ctrl-C)')
    .option('--skus <n>', 'how many SKUs', '50')
    .action(simulateCommand);
}

export interface SimulationHandle {
  sent(): number;
  stop(): Promise<void>;
  finished: Promise<void>;
}

/** Sends generated traffic at a steady rate, in 100 ms ticks, until stopped or the duration ends. */
export function runSimulation(
  publisher: EventPublisher,
  options: { rate: number; durationSeconds?: number; skus: number; log?: (line: string) => void },
): SimulationHandle {
  const generator = new TrafficGenerator({
    skus: options.skus,
    locations: ['main', 'north'],
    sources: ['web', 'app', 'marketplace', 'store-leeds'],
  });
  let sent = 0;
  let stopped = false;
  const started = Date.now();
  const finished = (async () => {
    let lastLog = started;
    while (!stopped) {
      const elapsed = (Date.now() - started) / 1000;
      if (options.durationSeconds !== undefined && elapsed >= options.durationSeconds) break;
      const due = Math.floor(elapsed * options.rate) + 1 - sent;
      if (due > 0) {
        const events = Array.from({ length: Math.min(due, 5_000) }, () => generator.next());
        await publisher.publish(events);
        sent += events.length;
      }
      if (options.log && Date.now() - lastLog >= 5_000) {
        lastLog = Date.now();
        options.log(`simulate: ${sent} events sent (${(sent / ((Date.now() - started) / 1000)).toFixed(1)}/s)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    sent: () => sent,
    finished,
    stop: async () => {
      stopped = true;
      await finished;
    },
  };
}

export async function simulateCommand(values: { rate: string; duration?: string; skus: string }): Promise<void> {
  const rate = positiveNumber('rate', values.rate, 10);
  const durationSeconds = values.duration === undefined ? undefined : positiveNumber('duration', values.duration, 0);
  const skus = Math.floor(positiveNumber('skus', values.skus, 50));
  const config = loadConfig();
  const producer = await openStreamProducer(config);
  const simulation = runSimulation(producer.publisher, {
    rate,
    durationSeconds,
    skus,
    log: (line) => console.log(line),
  });
  process.once('SIGINT', () => void simulation.stop());
  process.once('SIGTERM', () => void simulation.stop());
  await simulation.finished;
  console.log(`simulate: done, ${simulation.sent()} events sent to ${config.kinesis.streamName}`);
  producer.close();
}
