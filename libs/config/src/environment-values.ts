import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The small reader every config section uses: how one environment variable is read (whole
 * numbers, URLs, comma lists), and how the raw environment is gathered before any section parses it.
 */

/** A whole number between `min` and `max`; unset or empty: `fallback`. */
export const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? String(fallback) : value))
    // Digits only: no `1e6`, `0x10`, `1.0` or a second line, which Number() would read.
    .pipe(z.string().regex(/^-?\d{1,16}$/, 'must be a whole number'))
    .pipe(
      z.coerce
        .number({ invalid_type_error: 'must be a whole number' })
        .int('must be a whole number')
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

/** A URL with one of `protocols` (each with its colon, like `redis:`); unset: `fallback`. */
export const urlWithProtocol = (protocols: string[], fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => value || fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`,
    );

/** An optional comma-separated list of e-mail addresses. */
export const emailList = () =>
  z
    .string()
    .optional()
    .refine(
      (value) => !value || value.split(',').every((address) => /^[^\s@,]+@[^\s@,]+$/.test(address.trim())),
      'must be a comma-separated list of e-mail addresses',
    );

/** The items of a comma-separated value, trimmed, without empty ones. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The parsed values of a section's variables. */
export type EnvironmentValues<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

/** The environment as gathered: trimmed values of the known variables, blank ones left out. */
export type RawEnvironment = Partial<Record<string, string>>;

/** What a section's checks between variables read: each variable parsed on its own. */
export interface EnvironmentReader<Shape extends z.ZodRawShape> {
  /** The variable's parsed value; undefined when it is invalid. */
  value<K extends keyof Shape & string>(key: K): z.output<Shape[K]> | undefined;
  isSet(key: string): boolean;
  raw(key: string): string | undefined;
}

export function environmentReader<Shape extends z.ZodRawShape>(
  shape: Shape,
  raw: RawEnvironment,
): EnvironmentReader<Shape> {
  return {
    value: <K extends keyof Shape & string>(key: K) => {
      const result = (shape[key] as z.ZodTypeAny).safeParse(raw[key]);
      return result.success ? (result.data as z.output<Shape[K]>) : undefined;
    },
    isSet: (key) => raw[key] !== undefined,
    raw: (key) => raw[key],
  };
}

/**
 * Trims every value and treats a blank one as unset, so `PORT=" "` means the default port rather
 * than port 0 (`Number(" ")`), and a stray newline from a secrets file is not part of a URL.
 * Any variable can come from a file instead (`JWT_SECRET_FILE=/run/secrets/jwt`): Docker and
 * Kubernetes secrets, or a file an AWS secrets agent writes.
 */
export function normalizeEnvironment(
  variables: readonly string[],
  env: NodeJS.ProcessEnv,
  emptyIsAValue: ReadonlySet<string>,
): { raw: RawEnvironment; problems: string[] } {
  const raw: RawEnvironment = {};
  const problems: string[] = [];
  for (const key of variables) {
    const fromFile = readVariableFile(key, env, problems);
    const value = (fromFile ?? env[key])?.trim();
    if (value === undefined || (value === '' && !emptyIsAValue.has(key))) continue;
    raw[key] = value;
  }
  return { raw, problems };
}

function readVariableFile(key: string, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const file = env[`${key}_FILE`]?.trim();
  if (!file) return undefined;
  if (env[key]?.trim()) {
    problems.push(`${key}_FILE: set ${key} or ${key}_FILE, not both`);
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${key}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

export function isReadableFile(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
