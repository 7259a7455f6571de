import { Logger } from '@nestjs/common';
import type { StockwallConfig } from '@stockwall/config';
import { DependencyUnavailableError } from '@stockwall/config';
import { isKinesisEndpointAnswering, startKinesisEmulator } from '@stockwall/local-stack';

export interface ResolvedKinesisEndpoint {
  /** Undefined for real AWS. */
  url: string | undefined;
  allowCreateStream: boolean;
  stop(): Promise<void>;
}

/**
 * KINESIS_ENDPOINT unset: use the embedded emulator on KINESIS_EMULATOR_PORT, starting it in this
 * process unless another local process already serves it (so several workers share one).
 * A URL: that emulator. `aws`: real AWS, where streams are never created.
 */
export async function resolveKinesisEndpoint(config: StockwallConfig['kinesis']): Promise<ResolvedKinesisEndpoint> {
  const logger = new Logger('Kinesis');
  switch (config.endpoint.kind) {
    case 'aws':
      return { url: undefined, allowCreateStream: false, stop: async () => undefined };
    case 'url':
      return { url: config.endpoint.url, allowCreateStream: true, stop: async () => undefined };
    case 'embedded': {
      const url = `http://127.0.0.1:${config.emulatorPort}`;
      if (config.emulatorPort !== 0 && (await isKinesisEndpointAnswering(url))) {
        logger.log(`Using the embedded Kinesis emulator already running at ${url}`);
        return { url, allowCreateStream: true, stop: async () => undefined };
      }
      try {
        const emulator = await startKinesisEmulator({
          port: config.emulatorPort,
          host: '127.0.0.1',
          path: config.emulatorDir ?? undefined,
        });
        logger.log(`Started the embedded Kinesis emulator at ${emulator.endpoint}`);
        return { url: emulator.endpoint, allowCreateStream: true, stop: () => emulator.stop() };
      } catch (error) {
        throw new DependencyUnavailableError(
          'kinesis',
          `Could not start the embedded Kinesis emulator on port ${config.emulatorPort} (${(error as Error).message}): ` +
            'free the port, set KINESIS_EMULATOR_PORT, or set KINESIS_ENDPOINT',
        );
      }
    }
  }
}
