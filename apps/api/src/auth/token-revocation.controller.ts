import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { RequireRole } from './auth.decorators';
import { revokeTokenSchema, RevokeTokenDto } from './token-revocation.dto';
import { TokenRevocationService } from './token-revocation.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/auth/revocations')
@RequireRole('admin')
export class TokenRevocationController {
  constructor(private readonly revocations: TokenRevocationService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an access token by the token or its id (jti): refused everywhere from now on' })
  revoke(@Body(new ZodValidationPipe(revokeTokenSchema)) body: RevokeTokenDto) {
    return this.revocations.revoke(body);
  }
}
