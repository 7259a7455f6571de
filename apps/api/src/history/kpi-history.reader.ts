import { Inject, Injectable } from '@nestjs/common';
import { AnalyticsRepository, KpiSeriesReader } from '@stockwall/persistence';

export const ANALYTICS_REPOSITORY = Symbol('ANALYTICS_REPOSITORY');

/** The history KPIs of a range in a time zone (the assembly is shared with the digests: KpiSeriesReader). */
@Injectable()
export class KpiHistoryReader extends KpiSeriesReader {
  constructor(@Inject(ANALYTICS_REPOSITORY) analytics: AnalyticsRepository) {
    super(analytics);
  }
}
