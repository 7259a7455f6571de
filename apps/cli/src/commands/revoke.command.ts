import type { Command } from 'commander';
import * as jwt from 'jsonwebtoken';
import { loadConfig } from '@stockwall/config';
import { connectRedis, revokeTokenId } from '@stockwall/platform';
import { CliUsageError } from './cli-error';

export function registerRevokeCommand(program: Command): void {
  program
    .command('revoke')
    .description('refuse a token everywhere from now on')
    .argument('[token]', 'the token itself')
    .option('--id <jti>', "the token's id instead of the token")
    .action(revokeCommand);
}

/** Puts a token's id on the deny-list every API process checks (REST and /live). */
export async function revokeCommand(token: string | undefined, values: { id?: string }): Promise<void> {
  const config = loadConfig();
  const longest = Math.max(config.auth.accessTokenMaxTtlSeconds, config.auth.displayTokenMaxTtlDays * 86_400) * 1000;
  let id: string;
  let until = Date.now() + longest;
  if (values.id !== undefined) {
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(values.id)) throw new CliUsageError('--id must be a token id (jti)');
    id = values.id;
  } else if (token !== undefined) {
    const payload = jwt.decode(token, { json: true });
    if (!payload || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      throw new CliUsageError('the token must carry an id (jti) and an expiry (exp)');
    }
    id = payload.jti;
    until = Math.min(until, payload.exp * 1000);
  } else {
    throw new CliUsageError('give the token, or --id <jti>');
  }
  const redis = await connectRedis(config.redis.url);
  try {
    await revokeTokenId(redis, config.redis.prefix, id, until);
  } finally {
    redis.disconnect();
  }
  console.log(`Revoked ${id} until ${new Date(until).toISOString()}`);
}
