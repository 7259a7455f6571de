import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { ApiRange } from '../history/api-range.decorator';
import {
  reportRangeQuerySchema,
  ReportRangeQueryDto,
  topProductsQuerySchema,
  TopProductsQueryDto,
} from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/reports')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('top-products')
  @ApiOperation({ summary: 'Best-selling SKUs by net units or revenue (within the raw-event retention)' })
  @ApiQuery({ name: 'by', required: false, enum: ['units', 'revenue'] })
  @ApiQuery({ name: 'limit', required: false, description: '1-500 (default 10)' })
  @ApiRange()
  topProducts(@Query(new ZodValidationPipe(topProductsQuerySchema)) query: TopProductsQueryDto) {
    return this.reports.topProducts(query);
  }

  @Get('sales-by-source')
  @ApiOperation({ summary: 'Orders, revenue, units, AOV, COGS and margin per source (channel or store)' })
  @ApiRange()
  salesBySource(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.salesBySource(query);
  }

  @Get('peak-hours')
  @ApiOperation({ summary: 'Sales per hour of the day (UTC), all 24 hours' })
  @ApiRange()
  peakHours(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.peakHours(query);
  }
}
