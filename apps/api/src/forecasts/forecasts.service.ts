import { Injectable } from '@nestjs/common';
import { ForecastRepository } from '@stockwall/aggregation';
import { encodeForecastCursor } from './forecast-cursor';
import type { ForecastListQueryDto, ForecastListResponse } from './forecasts.dto';

@Injectable()
export class ForecastsService {
  constructor(private readonly forecasts: ForecastRepository) {}

  async list(query: ForecastListQueryDto): Promise<ForecastListResponse> {
    const page = await this.forecasts.listForecasts({
      location: query.location,
      limit: query.limit,
      asOf: query.cursor?.asOf,
      after: query.cursor?.after,
    });
    return {
      asOf: page.asOf === null ? null : new Date(page.asOf).toISOString(),
      items: page.forecasts,
      nextCursor:
        page.next === null || page.asOf === null ? null : encodeForecastCursor({ asOf: page.asOf, after: page.next }),
    };
  }
}
