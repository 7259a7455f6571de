import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { ApiRange } from '../history/api-range.decorator';
import { ApiReportFilters } from './api-report-filters.decorator';
import {
  replenishmentQuerySchema,
  ReplenishmentQueryDto,
  reportRangeQuerySchema,
  ReportRangeQueryDto,
  slowMoversQuerySchema,
  SlowMoversQueryDto,
  stockOnDateQuerySchema,
  StockOnDateQueryDto,
  topProductsQuerySchema,
  TopProductsQueryDto,
} from './reports.dto';
import { ReportsService } from './reports.service';
import { StockReportsService } from './stock-reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/reports')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly stockReports: StockReportsService,
  ) {}

  @Get('top-products')
  @ApiOperation({ summary: 'Best-selling SKUs by net units or revenue (within the raw-event retention)' })
  @ApiQuery({ name: 'by', required: false, enum: ['units', 'revenue'] })
  @ApiQuery({ name: 'limit', required: false, description: '1-500 (default 10)' })
  @ApiRange()
  @ApiReportFilters()
  topProducts(@Query(new ZodValidationPipe(topProductsQuerySchema)) query: TopProductsQueryDto) {
    return this.reports.topProducts(query);
  }

  @Get('sales-by-source')
  @ApiOperation({ summary: 'Orders, revenue, units, AOV, COGS and margin per source (channel or store)' })
  @ApiRange()
  @ApiReportFilters()
  salesBySource(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.salesBySource(query);
  }

  @Get('peak-hours')
  @ApiOperation({ summary: 'Sales per weekday and hour of the day in tz: 168 cells, Monday 00:00 first' })
  @ApiRange()
  @ApiReportFilters()
  peakHours(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.peakHours(query);
  }

  @Get('customer-segments')
  @ApiOperation({
    summary: 'RFM segments of the customers who ordered in the range: customers, share and revenue of each',
    description: 'Scores 1-5 by rank (equal values share a score); `highValue` is the monetary-5 group.',
  })
  @ApiRange()
  @ApiReportFilters()
  customerSegments(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.customerSegments(query);
  }

  @Get('stock-on-date')
  @ApiOperation({ summary: 'Every SKU’s stock as of a moment, from the stored events (else the latest snapshot)' })
  @ApiQuery({ name: 'date', required: false, description: 'ISO-8601 with a zone; default now' })
  @ApiQuery({ name: 'location', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-100000 (default 10000)' })
  stockOnDate(@Query(new ZodValidationPipe(stockOnDateQuerySchema)) query: StockOnDateQueryDto) {
    return this.stockReports.stockOnDate(query);
  }

  @Get('slow-movers')
  @ApiOperation({ summary: 'Excess stock: no sale in `days` days or more than `coverDays` of cover; value tied up' })
  @ApiQuery({ name: 'to', required: false, description: 'end of the look-back; default now' })
  @ApiQuery({ name: 'days', required: false, description: '1-3650 (default 30)' })
  @ApiQuery({ name: 'coverDays', required: false, description: '1-36500 (default 90)' })
  @ApiQuery({ name: 'location', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-10000 (default 100)' })
  slowMovers(@Query(new ZodValidationPipe(slowMoversQuerySchema)) query: SlowMoversQueryDto) {
    return this.stockReports.slowMovers(query);
  }

  @Get('replenishment')
  @ApiOperation({
    summary: 'Suggested order quantity per SKU at or below its reorder point, grouped by supplier',
    description: 'Orders back up to the reorder point plus `coverDays` of forecast demand.',
  })
  @ApiQuery({ name: 'location', required: false })
  @ApiQuery({ name: 'coverDays', required: false, description: '0-365 (default 14)' })
  replenishment(@Query(new ZodValidationPipe(replenishmentQuerySchema)) query: ReplenishmentQueryDto) {
    return this.stockReports.replenishment(query);
  }
}
