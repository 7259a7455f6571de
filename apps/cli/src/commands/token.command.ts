import { Command, Option } from 'commander';
import { Role, ROLES } from '@stockwall/contracts';
import { loadConfig, requireJwtSecret } from '@stockwall/config';
import { describeSeconds, parseDuration } from '@stockwall/contracts';
import { signAccessToken } from '@stockwall/platform';
import { CliUsageError } from './cli-error';

interface TokenOptions {
  role: Role;
  ttl: string;
  subject?: string;
}

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a signed access token for the REST API and the live feed')
    .addOption(new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory())
    .option('--ttl <duration>', 'how long it is valid, e.g. 30m, 12h, 7d', '12h')
    .option('--subject <name>', 'who it is for (default cli-<role>)')
    .action(tokenCommand);
}

export function tokenCommand(values: TokenOptions): void {
  const role = values.role;
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
