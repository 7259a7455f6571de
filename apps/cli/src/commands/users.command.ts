import { Command, Option } from 'commander';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@stockwall/config';
import { Role, ROLES } from '@stockwall/contracts';
import {
  DuplicateEmailError,
  emailProblem,
  normalizeEmail,
  openDatabase,
  UsersRepository,
} from '@stockwall/persistence';
import { connectRedis, hashPassword, passwordProblem, SessionStore } from '@stockwall/platform';
import { CliUsageError } from './cli-error';

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('console accounts (e-mail, password, role)');
  users
    .command('add')
    .description('add an account; the password is read from stdin (at least 12 characters)')
    .requiredOption('--email <email>', 'the e-mail address the person signs in with')
    .addOption(new Option('--role <role>', 'what the account may do').choices(ROLES).makeOptionMandatory())
    .action((values: { email: string; role: Role }) => addUser(values, process.stdin));
  users.command('list').description('every account with its role and state').action(listUsers);
  users
    .command('disable')
    .description('disable an account: its sessions end and its sockets close at once')
    .requiredOption('--email <email>', 'the account')
    .action((values: { email: string }) => disableUser(values));
}

/** The password piped on stdin (`printf '%s' "$PW" | npm run cli -- users add …`), one trailing newline dropped. */
export async function readPassword(input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (input.isTTY) process.stderr.write('Password (end with Enter, then Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function checkedEmail(raw: string): string {
  const email = normalizeEmail(raw);
  const problem = emailProblem(email);
  if (problem) throw new CliUsageError(`--email ${problem}`);
  return email;
}

export async function addUser(
  values: { email: string; role: Role },
  input: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<void> {
  const email = checkedEmail(values.email);
  const password = await readPassword(input);
  const problem = passwordProblem(password);
  if (problem) throw new CliUsageError(`the password on stdin ${problem}`);
  const passwordHash = await hashPassword(password);
  await withDatabase(async (dataSource) => {
    try {
      const user = await new UsersRepository(dataSource).create({ email, role: values.role, passwordHash });
      console.log(`Added user ${user.id}: ${user.email} (${user.role})`);
    } catch (error) {
      if (!(error instanceof DuplicateEmailError)) throw error;
      console.error(error.message);
      process.exitCode = 1;
    }
  });
}

export async function listUsers(): Promise<void> {
  await withDatabase(async (dataSource) => {
    const users = await new UsersRepository(dataSource).list();
    if (users.length === 0) console.log('No users yet: npm run cli -- users add --email <e> --role <role>');
    for (const user of users) {
      const state = user.disabled ? 'disabled' : 'active';
      console.log(
        [
          user.id,
          user.email,
          user.role,
          state,
          `created ${user.createdAt}`,
          `last login ${user.lastLoginAt ?? 'never'}`,
        ].join('\t'),
      );
    }
  });
}

export async function disableUser(values: { email: string }): Promise<void> {
  const email = checkedEmail(values.email);
  const config = loadConfig();
  await withDatabase(async (dataSource) => {
    const repository = new UsersRepository(dataSource);
    const user = await repository.findForLogin(email);
    if (!user) {
      console.error(`No user with the e-mail ${email}`);
      process.exitCode = 1;
      return;
    }
    await repository.update(user.id, { disabled: true });
    const redis = await connectRedis(config.redis.url);
    try {
      const ended = await new SessionStore(redis, config.redis.prefix).closeAllOf(user.id);
      console.log(`Disabled ${email}: ${ended} session(s) ended`);
    } finally {
      redis.disconnect();
    }
  });
}

async function withDatabase(work: (dataSource: DataSource) => Promise<void>): Promise<void> {
  const config = loadConfig();
  // Creates the database and runs the migrations when this is the first thing run on an install.
  const dataSource = await openDatabase(config.database);
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
