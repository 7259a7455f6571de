import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { DisplayTokenRepository } from './display-token.repository';
import { DisplayTokenRevocations } from './display-token-revocations';
import { DisplayTokensController } from './display-tokens.controller';
import { DisplayTokensService } from './display-tokens.service';

/**
 * Display tokens for wall screens; exports their records (the token check reads them) and the
 * revocation signal (the /live sweep closes a revoked token's sockets on it).
 */
@Module({
  controllers: [DisplayTokensController],
  providers: [
    {
      provide: DisplayTokenRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new DisplayTokenRepository(redis, config.redis.prefix),
    },
    DisplayTokenRevocations,
    DisplayTokensService,
  ],
  exports: [DisplayTokenRepository, DisplayTokenRevocations],
})
export class DisplayTokensModule {}
