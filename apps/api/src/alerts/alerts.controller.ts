import { Body, Controller, Get, HttpStatus, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import type { VerifiedToken } from '../auth/token-policy';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import {
  acknowledgeAlertSchema,
  AcknowledgeAlertDto,
  alertIdParamSchema,
  alertListQuerySchema,
  AlertListQueryDto,
} from './alerts.dto';
import { AlertsService } from './alerts.service';

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequireRole('viewer')
  @UseInterceptors(CsvInterceptor)
  list(@Query(new ZodValidationPipe(alertListQuerySchema)) query: AlertListQueryDto) {
    return this.alerts.list(query);
  }

  @Post(':id/ack')
  @RequireRole('warehouse')
  async acknowledge(
    @Param('id', new ZodValidationPipe(alertIdParamSchema)) id: string,
    @Body(new ZodValidationPipe(acknowledgeAlertSchema)) body: AcknowledgeAlertDto,
    @Req() request: Request & { user?: VerifiedToken },
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.alerts.acknowledge(id, request.user?.sub ?? 'unknown', body.reason);
    if ('unchanged' in result) {
      response.status(HttpStatus.OK);
      return result.unchanged;
    }
    response.status(HttpStatus.ACCEPTED);
    return result.accepted;
  }
}
