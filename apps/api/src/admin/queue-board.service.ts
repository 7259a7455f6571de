import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Redis from 'ioredis';
import { ALERTS_QUEUE, HISTORY_QUEUE, PERSIST_QUEUE, roleSatisfies } from '@stockwall/contracts';
import type { Infrastructure } from '@stockwall/platform';
import { extractBearer } from '@stockwall/platform';
import type { TokenVerifier } from '../auth/token-verifier.service';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'stockwall_queue_board';
const SETUP_WAIT_MS = 1_000;
const BOARD_QUEUES = [PERSIST_QUEUE, ALERTS_QUEUE, HISTORY_QUEUE, 'notifications'];

/**
 * bull-board at /admin/queues for admins. A browser cannot send a bearer header when it follows a
 * link, so the token may also come as `?token=` once; it is then kept in an HttpOnly cookie scoped
 * to the board's path, and checked on every request with the same verifier as the REST API.
 */
@Injectable()
export class QueueBoardService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueBoardService.name);
  private readonly connection: Redis;
  private readonly queues: Queue[];
  private closing = false;

  constructor(infrastructure: Infrastructure) {
    this.connection = new Redis(infrastructure.config.redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection.on('error', () => undefined); // reported by the queues below
    this.queues = BOARD_QUEUES.map((name) => {
      const queue = new Queue(name, { connection: this.connection, prefix: infrastructure.config.queue.prefix });
      // A queue without an error listener takes the process down on any connection error, e.g.
      // when the application closes while the board's connection is still being set up.
      queue.on('error', (error) => {
        if (!this.closing) this.logger.warn(`Queue board (${name}): ${error.message}`);
      });
      return queue;
    });
  }

  /** The auth check and the board's router, to mount at QUEUE_BOARD_PATH. */
  handlers(tokens: TokenVerifier): RequestHandler[] {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: this.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
      serverAdapter,
    });
    const guard = (request: Request, response: Response, next: NextFunction) => {
      this.authorize(tokens, request, response).then(
        (allowed) => (allowed ? next() : undefined),
        (error: unknown) => next(error),
      );
    };
    return [guard, serverAdapter.getRouter() as RequestHandler];
  }

  private async authorize(tokens: TokenVerifier, request: Request, response: Response): Promise<boolean> {
    const fromQuery = typeof request.query.token === 'string' ? request.query.token : undefined;
    const token = extractBearer(request.headers.authorization) ?? fromQuery ?? cookieOf(request, QUEUE_BOARD_COOKIE);
    const deny = (status: number, message: string) => {
      response
        .status(status)
        .json({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
      return false;
    };
    if (!token) return deny(401, 'A bearer token, ?token= or the board cookie is required');
    const claims = await tokens.verify(token).catch(() => null);
    if (!claims) return deny(401, 'Invalid token');
    if (!roleSatisfies(claims.role, 'admin'))
      return deny(403, `This needs the admin role; the token has ${claims.role}`);
    if (fromQuery) {
      response.cookie(QUEUE_BOARD_COOKIE, fromQuery, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.secure,
        path: QUEUE_BOARD_PATH,
      });
    }
    // The board's page runs an inline bootstrap script; relax the CSP for this path only.
    response.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:",
    );
    return true;
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

function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
