import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure, SessionStore } from '@stockwall/platform';
import { SESSION_STORE } from './caller-authenticator.service';

/** The console's sign-in sessions in Redis: read by the authentication, ended by sign-out and by account changes. */
@Module({
  providers: [
    {
      provide: SESSION_STORE,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new SessionStore(redis, config.redis.prefix),
    },
  ],
  exports: [SESSION_STORE],
})
export class SessionStoreModule {}
