import { parseArgs } from 'node:util';
import * as jwt from 'jsonwebtoken';
import { loadConfig } from '@stockwall/config';
import { connectRedis, revokeTokenId } from '@stockwall/platform';
import { CliUsageError } from './cli-error';

export const REVOKE_USAGE = 'revoke <token> | --id <jti> — refuse a token everywhere from now on';

/** Puts a token's id on the deny-list every API process checks (REST and /live). */
export async function revokeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { id: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const config = loadConfig();
  const longest = Math.max(config.auth.accessTokenMaxTtlSeconds, config.auth.displayTokenMaxTtlDays * 86_400) * 1000;
  let id: string;
  let until = Date.now() + longest;
  if (values.id !== undefined) {
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(values.id)) throw new CliUsageError('--id must be a token id (jti)');
    id = values.id;
  } else if (positionals.length === 1) {
    const payload = jwt.decode(positionals[0], { json: true });
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
