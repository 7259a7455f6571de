import { parseArgs } from 'node:util';
import { Role, ROLES } from '@stockwall/contracts';
import { loadConfig } from '@stockwall/config';
import { signAccessToken } from '@stockwall/platform';
import { CliUsageError } from './cli-error';

export const TOKEN_USAGE = 'token --role viewer|warehouse|admin [--ttl 12h] [--subject name]';

export function tokenCommand(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, ttl: { type: 'string', default: '12h' }, subject: { type: 'string' } },
    strict: true,
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new CliUsageError(`--role must be one of ${ROLES.join(', ')}`);
  const ttl = values.ttl;
  if (!/^\d+[smhdwy]?$/.test(ttl)) throw new CliUsageError(`--ttl must look like 3600, 15m, 12h or 30d, got "${ttl}"`);
  const config = loadConfig();
  const ttlValue = /^\d+$/.test(ttl) ? Number(ttl) : ttl;
  console.log(signAccessToken(config.auth.jwtSecret, { sub: values.subject ?? `cli-${role}`, role }, ttlValue));
}
