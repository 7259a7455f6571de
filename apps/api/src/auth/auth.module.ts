import { Module } from '@nestjs/common';
import { UsersRepository } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { DisplayTokensModule } from '../display-tokens/display-tokens.module';
import { AuthGuard } from './auth.guard';
import { CallerAuthenticator } from './caller-authenticator.service';
import { CredentialRevocations } from './credential-revocations';
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
 * guard and the caller check, the deny-list and the revocation signal (the /live handshake and
 * sweep use them) and the token verifier (the queue board).
 */
@Module({
  imports: [SessionStoreModule, DisplayTokensModule],
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
  exports: [AuthGuard, CallerAuthenticator, TokenVerifier, RevokedTokensRepository, CredentialRevocations],
})
export class AuthModule {}
