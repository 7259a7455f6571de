import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { escapeControlCharacters } from './log-text';
import { currentRequestId } from './request-context';

export type LogFormat = 'json' | 'text';

export interface LoggingSettings {
  /** The least severe level written: `log` writes log, warn, error and fatal. */
  level: LogLevel;
  format: LogFormat;
}

/** Nest's levels from the most severe; LOG_LEVEL names one and every level above it is written too. */
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function levelsFrom(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** Colour only for a person at a terminal: never in a pipe, a file or a container log, never with NO_COLOR. */
export function colorsAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/**
 * Nest's console logger with the request id of the request being handled in every line: a
 * `requestId` field in JSON lines, `[request <id>]` after the context in text.
 */
export class ProcessLogger extends ConsoleLogger {
  constructor(processName: string, settings: LoggingSettings, stream: { isTTY?: boolean } = process.stdout) {
    super({
      prefix: processName,
      json: settings.format === 'json',
      colors: settings.format === 'text' && colorsAllowed(stream),
      logLevels: levelsFrom(settings.level),
    });
  }

  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ): ReturnType<ConsoleLogger['getJsonLogObject']> & { requestId?: string } {
    const logObject = super.getJsonLogObject(message, options);
    const requestId = currentRequestId();
    return requestId === undefined ? logObject : { ...logObject, requestId };
  }

  /** Text lines: a message can never start a line of its own or recolour a terminal (JSON lines escape already). */
  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    return escapeControlCharacters(String(super.stringifyMessage(message, logLevel)));
  }

  protected override formatContext(context: string): string {
    const requestId = currentRequestId();
    const formatted = super.formatContext(context);
    return requestId === undefined ? formatted : `${formatted}[request ${requestId}] `;
  }
}

/** Makes every Nest logger of this process (`new Logger(context)`, Nest's own) write through one ProcessLogger. */
export function configureProcessLogging(processName: string, settings: LoggingSettings): ProcessLogger {
  const logger = new ProcessLogger(processName, settings);
  Logger.overrideLogger(logger);
  return logger;
}
