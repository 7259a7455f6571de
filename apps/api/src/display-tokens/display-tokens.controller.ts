import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import type { VerifiedToken } from '../auth/token-policy';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { createDisplayTokenSchema, CreateDisplayTokenDto, displayTokenIdSchema } from './display-tokens.dto';
import { DisplayTokensService } from './display-tokens.service';

/** Long-lived, viewer-only, revocable tokens for unattended wall screens. */
@Controller('api/v1/display-tokens')
@RequireRole('admin')
export class DisplayTokensController {
  constructor(private readonly displayTokens: DisplayTokensService) {}

  @Post()
  create(
    @Body(new ZodValidationPipe(createDisplayTokenSchema)) body: CreateDisplayTokenDto,
    @Req() request: Request & { user: VerifiedToken },
  ) {
    return this.displayTokens.create(body, request.user.sub);
  }

  @Get()
  @UseInterceptors(CsvInterceptor)
  list() {
    return this.displayTokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', new ZodValidationPipe(displayTokenIdSchema)) id: string): Promise<void> {
    await this.displayTokens.revoke(id);
  }
}
