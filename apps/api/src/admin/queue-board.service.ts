import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Redis from 'ioredis';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { QUEUE_NAMES, roleSatisfies } from '@stockwall/contracts';
import { extractBearer } from '@stockwall/platform';
import type { RevokedTokensRepository } from '../auth/revoked-tokens.repository';
import { readCookie } from '../auth/session-cookie';
import type { VerifiedToken } from '../auth/token-policy';
import type { TokenVerifier } from '../auth/token-verifier.service';
import { BoardSession, QueueBoardSessionRepository } from './queue-board-session.repository';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'stockwall_queue_board';
const SETUP_WAIT_MS = 1_000;
/** A board link works once, within a minute; the session it opens lasts 15 minutes at most. */
const LINK_TTL_MS = 60_000;
const SESSION_TTL_MS = 15 * 60_000;
const OPAQUE_ID = /^[A-Za-z0-9_-]{32}$/;

const BOARD_QUEUES = QUEUE_NAMES;

/**
 * bull-board at /admin/queues for admins, with `Authorization: Bearer` like the REST API. A
 * browser cannot send that header when it follows a link, and a token must never sit in a URL
 * (access logs, history) or a cookie: `POST /admin/queues/links` with an admin bearer answers a
 * one-time link (valid a minute) that opens a board session — a random id in an HttpOnly,
 * SameSite=Strict cookie scoped to the board, kept in Redis for at most 15 minutes and never
 * past the token's expiry, and ended when the token is revoked.
 */
@Injectable()
export class QueueBoardService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueBoardService.name);
  private readonly connection: Redis;
  private readonly queues: Queue[];
  private closing = false;

  constructor(
    @Inject(STOCKWALL_CONFIG) config: StockwallConfig,
    private readonly sessions: QueueBoardSessionRepository,
  ) {
    // BullMQ's connection of its own, never giving up on a command; the board's sessions use the repository's.
    this.connection = new Redis(config.redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection.on('error', () => undefined); // reported by the queues below
    this.queues = BOARD_QUEUES.map((name) => {
      const queue = new Queue(name, { connection: this.connection, prefix: config.queue.prefix });
      // A queue without an error listener takes the process down on any connection error, e.g.
      // when the application closes while the board's connection is still being set up.
      queue.on('error', (error) => {
        if (!this.closing) this.logger.warn(`Queue board (${name}): ${error.message}`);
      });
      return queue;
    });
  }

  /** The auth check and the board's router, to mount at QUEUE_BOARD_PATH. */
  handlers(tokens: TokenVerifier, revokedTokens: RevokedTokensRepository): RequestHandler[] {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: this.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
      serverAdapter,
    });
    const guard = (request: Request, response: Response, next: NextFunction) => {
      this.route(tokens, revokedTokens, request, response).then(
        (allowed) => (allowed ? next() : undefined),
        (error: unknown) => next(error),
      );
    };
    return [guard, serverAdapter.getRouter() as RequestHandler];
  }

  /** The link and session routes, then the check of every board request. True: on to the board. */
  private async route(
    tokens: TokenVerifier,
    revokedTokens: RevokedTokensRepository,
    request: Request,
    response: Response,
  ): Promise<boolean> {
    const deny = (status: number, message: string) => {
      response
        .status(status)
        .json({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
      return false;
    };
    if (request.method === 'POST' && request.path === '/links') {
      const claims = await this.adminOf(tokens, request.headers.authorization);
      if (typeof claims === 'string')
        return deny(claims === 'forbidden' ? 403 : 401, 'An admin bearer token is required');
      const code = randomBytes(24).toString('base64url');
      const session: BoardSession = { sub: claims.sub, revocationId: claims.revocationId, expiresAt: claims.expiresAt };
      await this.sessions.saveLink(code, session, LINK_TTL_MS);
      response.status(201).json({ url: `${QUEUE_BOARD_PATH}/open/${code}`, expiresInSeconds: LINK_TTL_MS / 1000 });
      return false;
    }
    const opened = /^\/open\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && opened) {
      const code = opened[1];
      const session = OPAQUE_ID.test(code) ? await this.sessions.takeLink(code) : null;
      if (!session) return deny(401, 'This board link is unknown, used or expired: ask for a new one');
      const id = randomBytes(24).toString('base64url');
      const ttlMs = Math.min(SESSION_TTL_MS, session.expiresAt - Date.now());
      if (ttlMs <= 0) return deny(401, 'The token behind this link has expired');
      await this.sessions.saveSession(id, session, ttlMs);
      response.cookie(QUEUE_BOARD_COOKIE, id, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.secure,
        path: QUEUE_BOARD_PATH,
        maxAge: ttlMs,
      });
      response.redirect(303, `${QUEUE_BOARD_PATH}/`);
      return false;
    }
    if (request.headers.authorization !== undefined) {
      const claims = await this.adminOf(tokens, request.headers.authorization);
      if (claims === 'forbidden') return deny(403, 'This needs the admin role');
      if (claims === 'invalid') return deny(401, 'Invalid token');
    } else {
      const id = readCookie(request.headers.cookie, QUEUE_BOARD_COOKIE);
      const session = id && OPAQUE_ID.test(id) ? await this.sessions.findSession(id) : null;
      if (!session) return deny(401, 'A bearer token or a board session (POST /admin/queues/links) is required');
      if (session.revocationId !== null && (await revokedTokens.isRevoked(session.revocationId))) {
        await this.sessions.deleteSession(id as string);
        return deny(401, 'The token behind this board session was revoked');
      }
    }
    // The board's page runs an inline bootstrap script; relax the CSP for this path only.
    response.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:",
    );
    return true;
  }

  /** The admin behind an Authorization header, or why not. */
  private async adminOf(tokens: TokenVerifier, header: unknown): Promise<VerifiedToken | 'invalid' | 'forbidden'> {
    const token = extractBearer(header);
    const claims = token ? await tokens.verify(token).catch(() => null) : null;
    if (!claims) return 'invalid';
    return roleSatisfies(claims.role, 'admin') ? claims : 'forbidden';
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    // Closing a queue while its connection is still being set up leaves BullMQ an error to emit
    // with nobody listening (it would end the process): let the setup finish first, for at most
    // a second (with Redis down it would never finish, and shutdown must not hang on it).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.queues.map((queue) => queue.waitUntilReady().catch(() => undefined))),
      new Promise((resolve) => (timer = setTimeout(resolve, SETUP_WAIT_MS))),
    ]);
    clearTimeout(timer);
    for (const queue of this.queues) await queue.close().catch(() => undefined);
    await this.connection.quit().catch(() => this.connection.disconnect());
    this.logger.debug('Queue board closed');
  }
}
