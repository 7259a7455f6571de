import { LocalStackError } from './local-stack-error';

export function parseServiceUrl(url: string, protocols: string[], what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LocalStackError('invalid_url', `${what} url is not a valid url: ${redactUrl(url)}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new LocalStackError(
      'invalid_url',
      `${what} url must start with ${protocols.map((p) => `${p}//`).join(' or ')}: ${redactUrl(url)}`,
    );
  }
  return parsed;
}

/** The url with any password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Points a service url at a private local instance, which has no password and no TLS. */
export function localUrl(original: URL, protocol: string, port: number, username = ''): string {
  const url = new URL(original.toString());
  url.protocol = protocol;
  url.hostname = '127.0.0.1';
  url.port = String(port);
  url.password = '';
  url.username = username;
  return url.toString();
}

export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

/** Rejects with `message` if the promise has not settled within ms. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
