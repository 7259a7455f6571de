import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { ROLES, type Role } from '@stockwall/contracts';
import { revokeTokenId } from './token-deny-list';

/** A signed-in person's session as kept in Redis (never the session id itself, only its hash). */
export interface SessionRecord {
  userId: string;
  email: string;
  role: Role;
  createdAt: number;
  expiresAt: number;
}

export interface OpenedSession {
  /** The cookie value: 256 random bits. */
  sessionId: string;
  record: SessionRecord;
}

/** The channel every API process listens on for revoked credentials: a message is a JSON list of revocation ids. */
export function revocationChannel(prefix: string): string {
  return `${prefix}revocations`;
}

/** The id a session is revoked by (the hash of its cookie, never the cookie: these ids are logged and published). */
export function sessionRevocationId(sessionId: string): string {
  return `session:${sessionKeyPart(sessionId).slice(0, 32)}`;
}

function sessionKeyPart(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions in Redis, shared by every API process and the CLI: one key per session (by the hash of
 * its id) that expires with it, and one set per user naming their sessions, so that disabling a
 * user ends all of them at once; the revocation is published so every API process closes the
 * user's sockets immediately, and put on the deny-list for a process that missed the message.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async open(user: { userId: string; email: string; role: Role }, ttlSeconds: number): Promise<OpenedSession> {
    const sessionId = randomBytes(32).toString('base64url');
    const now = Date.now();
    const record: SessionRecord = { ...user, createdAt: now, expiresAt: now + ttlSeconds * 1000 };
    const userKey = this.userKey(user.userId);
    await this.redis
      .multi()
      .set(this.sessionKey(sessionId), JSON.stringify(record), 'PX', ttlSeconds * 1000)
      .zadd(userKey, record.expiresAt, sessionKeyPart(sessionId))
      // Entries of sessions expired since are dropped; the set lives as long as the user's latest session.
      .zremrangebyscore(userKey, '-inf', now)
      .pexpireat(userKey, record.expiresAt)
      .exec();
    return { sessionId, record };
  }

  /** The live session of a cookie value, or null (unknown, malformed or expired). */
  async find(sessionId: string): Promise<SessionRecord | null> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return null;
    const value = await this.redis.get(this.sessionKey(sessionId));
    if (value === null) return null;
    const record = JSON.parse(value) as SessionRecord;
    if (record.expiresAt <= Date.now() || !ROLES.includes(record.role)) return null;
    return record;
  }

  async close(sessionId: string): Promise<void> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return;
    const record = await this.find(sessionId);
    const multi = this.redis.multi().del(this.sessionKey(sessionId));
    if (record) multi.zrem(this.userKey(record.userId), sessionKeyPart(sessionId));
    await multi.exec();
  }

  /** Ends every session of a user, everywhere; answers how many there were. */
  async closeAllOf(userId: string): Promise<number> {
    const userKey = this.userKey(userId);
    const entries = await this.redis.zrange(userKey, 0, -1, 'WITHSCORES');
    const sessions: { part: string; expiresAt: number }[] = [];
    for (let index = 0; index < entries.length; index += 2) {
      sessions.push({ part: entries[index], expiresAt: Number(entries[index + 1]) });
    }
    const multi = this.redis.multi();
    for (const session of sessions) multi.del(`${this.prefix}session:${session.part}`);
    multi.del(userKey);
    await multi.exec();
    const revocationIds = sessions.map((session) => `session:${session.part.slice(0, 32)}`);
    for (const [index, id] of revocationIds.entries()) {
      await revokeTokenId(this.redis, this.prefix, id, sessions[index].expiresAt);
    }
    await publishRevocations(this.redis, this.prefix, revocationIds);
    return sessions.length;
  }

  private sessionKey(sessionId: string): string {
    return `${this.prefix}session:${sessionKeyPart(sessionId)}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}user-sessions:${userId}`;
  }
}

/** Tells every API process to close the sockets of these revocation ids now. */
export async function publishRevocations(redis: Redis, prefix: string, revocationIds: string[]): Promise<void> {
  if (revocationIds.length === 0) return;
  await redis.publish(revocationChannel(prefix), JSON.stringify(revocationIds));
}
