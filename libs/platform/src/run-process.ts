import { Logger } from '@nestjs/common';
import { ConfigError, DependencyUnavailableError, type StockwallConfig } from '@stockwall/config';

/**
 * Runs an entrypoint: configuration and dependency problems print one line and exit 1;
 * anything else is a bug and keeps its stack trace.
 */
export function runProcess(name: string, main: () => Promise<void>): void {
  // The AWS SDK's notice concerns its future releases; the versions locked here support Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().catch((error: unknown) => {
    if (error instanceof DependencyUnavailableError || error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      new Logger(name).error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    process.exit(1);
  });
}

interface Closable {
  close(): Promise<void>;
}

/**
 * SIGTERM/SIGINT: close the Nest container first (workers finish their batch in flight and
 * release their leases), then the connections it used, then exit. A close that hangs (an SMTP
 * server that never answers, a stuck MySQL query) does not hold the process: after
 * SHUTDOWN_TIMEOUT_MS it logs one line and exits 1.
 */
export function closeOnSignals(
  app: Closable,
  infrastructure: Closable & { config: Pick<StockwallConfig, 'shutdownTimeoutMs'> },
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    void shutDown(signal, app, infrastructure, infrastructure.config.shutdownTimeoutMs);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/**
 * Closes the app, then the infrastructure, racing both against `timeoutMs`; exits 0 when they
 * closed in time, 1 when one failed or the deadline passed first.
 */
export async function shutDown(
  signal: NodeJS.Signals,
  app: Closable,
  infrastructure: Closable,
  timeoutMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<void> {
  const logger = new Logger('Shutdown');
  logger.log(`${signal}: shutting down`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  const closed = app.close().then(() => infrastructure.close());
  try {
    const outcome = await Promise.race([closed.then(() => 'closed' as const), deadline]);
    if (outcome === 'timed-out') {
      logger.error(`Shutdown did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting anyway`);
      return exit(1);
    }
    exit(0);
  } catch (error) {
    logger.error((error as Error).message);
    exit(1);
  } finally {
    clearTimeout(timer);
  }
}
