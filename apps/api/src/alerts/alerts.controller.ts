import { Body, Controller, Get, HttpStatus, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import type { VerifiedToken } from '../auth/token-policy';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { ApiRange } from '../history/api-range.decorator';
import {
  acknowledgeAlertSchema,
  AcknowledgeAlertDto,
  alertIdParamSchema,
  alertListQuerySchema,
  AlertListQueryDto,
  ALERT_STATUSES,
} from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequireRole('viewer')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Stored stock alerts, newest first; page with cursor = nextCursor' })
  @ApiQuery({ name: 'status', required: false, enum: ALERT_STATUSES })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000 (default 100)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiRange()
  list(@Query(new ZodValidationPipe(alertListQuerySchema)) query: AlertListQueryDto) {
    return this.alerts.list(query);
  }

  @Post(':id/ack')
  @RequireRole('warehouse')
  @ApiOperation({
    summary:
      'Acknowledge an alert (warehouse): 202 with the event put on the stream; 200 with the alert when it is ' +
      'already acknowledged (the first acknowledgement is kept)',
  })
  @ApiParam({ name: 'id', description: 'the row id or the alert id of the live alert event' })
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
