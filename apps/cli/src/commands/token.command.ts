import { parseArgs } from 'node:util';
import { Role, ROLES } from '@stockwall/contracts';
import { loadConfig, requireJwtSecret } from '@stockwall/config';
import { describeSeconds, parseDuration } from '@stockwall/contracts';
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
  const config = loadConfig();
  const maxSeconds = config.auth.accessTokenMaxTtlSeconds;
  const ttl = parseDuration(values.ttl, maxSeconds);
  if (!ttl.ok) {
    throw new CliUsageError(
      `--ttl ${ttl.problem} (ACCESS_TOKEN_MAX_TTL_SECONDS allows ${describeSeconds(maxSeconds)})`,
    );
  }
  const subject = values.subject ?? `cli-${role}`;
  if (!/^[A-Za-z0-9@._:-]{1,128}$/.test(subject)) {
    throw new CliUsageError('--subject must be 1-128 letters, digits or @ . _ : -');
  }
  console.log(signAccessToken(requireJwtSecret(config), { sub: subject, role }, ttl.value));
}
