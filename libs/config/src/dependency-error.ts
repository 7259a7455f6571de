/**
 * A dependency that does not answer. Entrypoints print `message` as one line and exit non-zero,
 * so the message says what is wrong and what to start or set.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: 'redis' | 'mysql' | 'kinesis',
    message: string,
  ) {
    super(message);
    this.name = 'DependencyUnavailableError';
  }
}
