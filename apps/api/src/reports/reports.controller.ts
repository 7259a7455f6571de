import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
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

@Controller('api/v1/reports')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly stockReports: StockReportsService,
  ) {}

  @Get('top-products')
  topProducts(@Query(new ZodValidationPipe(topProductsQuerySchema)) query: TopProductsQueryDto) {
    return this.reports.topProducts(query);
  }

  @Get('sales-by-source')
  salesBySource(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.salesBySource(query);
  }

  @Get('peak-hours')
  peakHours(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.peakHours(query);
  }

  @Get('customer-segments')
  customerSegments(@Query(new ZodValidationPipe(reportRangeQuerySchema)) query: ReportRangeQueryDto) {
    return this.reports.customerSegments(query);
  }

  @Get('stock-on-date')
  stockOnDate(@Query(new ZodValidationPipe(stockOnDateQuerySchema)) query: StockOnDateQueryDto) {
    return this.stockReports.stockOnDate(query);
  }

  @Get('slow-movers')
  slowMovers(@Query(new ZodValidationPipe(slowMoversQuerySchema)) query: SlowMoversQueryDto) {
    return this.stockReports.slowMovers(query);
  }

  @Get('replenishment')
  replenishment(@Query(new ZodValidationPipe(replenishmentQuerySchema)) query: ReplenishmentQueryDto) {
    return this.stockReports.replenishment(query);
  }
}
