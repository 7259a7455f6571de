export const SESSION_COOKIE = 'stockwall_session';
export const CSRF_HEADER = 'x-stockwall-csrf';

/** The value of one cookie in a `Cookie` header, or null. */
export function readCookie(header: unknown, name: string): string | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > 16_384) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    return value.length > 0 ? value : null;
  }
  return null;
}

/** `Set-Cookie` for a session: httpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'HttpOnly',
    'SameSite=Strict',
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** Methods that change nothing: a cookie alone may call them. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
