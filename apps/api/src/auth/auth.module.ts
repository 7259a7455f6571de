import { Module } from '@nestjs/common';
import { UsersRepository } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { AuthGuard } from './auth.guard';
import { CallerAuthenticator } from './caller-authenticator.service';
import { CredentialRevocations } from './credential-revocations';
import { DisplayTokenRepository } from './display-token.repository';
import { DisplayTokenRevocations } from './display-token-revocations';
import { LoginAttemptsRepository } from './login-attempts.repository';
import { RevocationListener } from './revocation-listener.service';
import { RevokedTokensRepository } from './revoked-tokens.repository';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';
import { SessionStoreModule } from './session-store.module';
import { TokenRevocationController } from './token-revocation.controller';
import { TokenRevocationService } from './token-revocation.service';
import { TokenVerifier } from './token-verifier.service';

/**
 * Who calls: tokens (verified, revoked), console sign-in sessions and the REST guard. Exports the
 * guard and the caller check, the deny-list, the display-token records and both revocation signals
 * (the /live handshake and sweep use them) and the token verifier (the queue board).
 */
@Module({
  imports: [SessionStoreModule],
  controllers: [TokenRevocationController, SessionController],
  providers: [
    TokenVerifier,
    CallerAuthenticator,
    AuthGuard,
    {
      provide: RevokedTokensRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new RevokedTokensRepository(redis, config.redis.prefix),
    },
    // Display tokens are credentials too: the token check reads their records, the /live sweep hears their revocations.
    {
      provide: DisplayTokenRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new DisplayTokenRepository(redis, config.redis.prefix),
    },
    DisplayTokenRevocations,
    {
      provide: LoginAttemptsRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new LoginAttemptsRepository(redis, config.redis.prefix),
    },
    // The sign-in reads accounts itself: the users folder imports auth (roles, sessions), not the reverse.
    {
      provide: UsersRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new UsersRepository(dataSource),
    },
    SessionService,
    CredentialRevocations,
    RevocationListener,
    TokenRevocationService,
  ],
  exports: [
    AuthGuard,
    CallerAuthenticator,
    TokenVerifier,
    RevokedTokensRepository,
    CredentialRevocations,
    DisplayTokenRepository,
    DisplayTokenRevocations,
  ],
})
export class AuthModule {}
