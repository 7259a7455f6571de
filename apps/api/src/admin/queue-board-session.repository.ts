import type Redis from 'ioredis';

/** Whom a board link or session stands for: the admin, their token's revocation id and its expiry. */
export interface BoardSession {
  sub: string;
  revocationId: string | null;
  expiresAt: number;
}

/** The queue board's one-time links and its sessions, in Redis so every API process knows them. */
export class QueueBoardSessionRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async saveLink(code: string, session: BoardSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.key('board-link', code), JSON.stringify(session), 'PX', ttlMs);
  }

  /** The link's session, once: the link is gone after this. */
  async takeLink(code: string): Promise<BoardSession | null> {
    return parsed(await this.redis.getdel(this.key('board-link', code)));
  }

  async saveSession(id: string, session: BoardSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.key('board-session', id), JSON.stringify(session), 'PX', ttlMs);
  }

  async findSession(id: string): Promise<BoardSession | null> {
    return parsed(await this.redis.get(this.key('board-session', id)));
  }

  async deleteSession(id: string): Promise<void> {
    await this.redis.del(this.key('board-session', id));
  }

  private key(kind: 'board-link' | 'board-session', id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }
}

function parsed(stored: string | null): BoardSession | null {
  return stored ? (JSON.parse(stored) as BoardSession) : null;
}
