import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DisplayTokensController } from './display-tokens.controller';
import { DisplayTokensService } from './display-tokens.service';

/**
 * Issuing, listing and revoking display tokens for wall screens. Their records and revocation
 * signal belong to auth (every credential store does), which this imports and never the reverse.
 */
@Module({
  imports: [AuthModule],
  controllers: [DisplayTokensController],
  providers: [DisplayTokensService],
})
export class DisplayTokensModule {}
