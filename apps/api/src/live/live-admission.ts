import { Inject, Injectable } from '@nestjs/common';
import { LIVE_OVERLOADED, LiveConnectErrorData } from '@stockwall/contracts';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { CallerAuthenticator } from '../auth/caller-authenticator.service';
import { admitConnection, LiveFlowLimits } from './live-flow-policy';
import { LiveMetrics } from './live-metrics';
import type { LiveSocket } from './live-socket';
import { subscriberKey } from './live-socket';
import { forgetRefilled, SubscribeBucket, takeSubscribe } from './subscribe-limiter';

/** Connections per token: a wall reconnects after a network blip or a deploy, not many times a minute. */
const CONNECT_LIMITS = { burst: 10, perMinute: 30 };

/**
 * The handshake check of every namespace: a free slot (over MAX_CONNECTIONS the client is told
 * `overloaded` with a jittered retryAfterMs), a valid token or session, and a connection rate per
 * token. The limit counts the process's open transports (the asking client's own excepted), on any
 * namespace or on none yet, so it holds whatever a client connects to.
 */
@Injectable()
export class LiveAdmission {
  private readonly limits: LiveFlowLimits;
  /** Connection allowances by token (its id, else its subject); idle ones are dropped by LiveHousekeeping. */
  private readonly connectBuckets = new Map<string, SubscribeBucket>();

  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly metrics: LiveMetrics,
    @Inject(STOCKWALL_CONFIG) config: StockwallConfig,
  ) {
    this.limits = { ...config.live };
  }

  admit(socket: LiveSocket, next: (error?: Error) => void): void {
    const admission = admitConnection(this.limits, socket.nsp.server.engine.clientsCount - 1);
    if (!admission.admitted) {
      const data: LiveConnectErrorData = { code: LIVE_OVERLOADED, retryAfterMs: admission.retryAfterMs };
      this.metrics.refusal('overloaded');
      return next(Object.assign(new Error(LIVE_OVERLOADED), { data }));
    }
    // A token (wall screens, API clients) or the console's session cookie.
    const credentials = {
      handshakeToken: (socket.handshake.auth as { token?: unknown } | undefined)?.token,
      authorization: socket.handshake.headers.authorization,
      cookie: socket.handshake.headers.cookie,
    };
    this.callers.authenticate(credentials).then(
      (user) => {
        if (!user) {
          this.metrics.refusal('unauthorized');
          return next(unauthorized('missing token'));
        }
        // Connections by token are limited like subscribes (a refused client reconnecting in a loop).
        const allowance = takeSubscribe(this.connectBuckets.get(subscriberKey(user)), CONNECT_LIMITS, Date.now());
        this.connectBuckets.set(subscriberKey(user), allowance.bucket);
        if (!allowance.allowed) {
          this.metrics.refusal('rate_limited');
          const data: LiveConnectErrorData = { code: 'rate_limited', retryAfterMs: allowance.retryAfterMs };
          return next(Object.assign(new Error('rate_limited'), { data }));
        }
        socket.data.user = user;
        next();
      },
      (error: Error) => {
        this.metrics.refusal('unauthorized');
        next(unauthorized(error.message));
      },
    );
  }

  /** Drops the allowances that have refilled since their last use. */
  forgetIdle(now: number): void {
    forgetRefilled(this.connectBuckets, CONNECT_LIMITS, now);
  }
}

function unauthorized(reason: string): Error {
  const data: LiveConnectErrorData = { code: 'unauthorized' };
  return Object.assign(new Error('unauthorized'), { data: { ...data, reason } });
}
