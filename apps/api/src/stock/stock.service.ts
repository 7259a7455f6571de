import { Injectable } from '@nestjs/common';
import { ForecastRepository, LiveStateRepository, StockPage } from '@stockwall/aggregation';
import type { StockForecast, StockRow } from '@stockwall/contracts';
import type { StockListQueryDto } from './stock.dto';
import { NotFoundError } from '../common/domain-errors';

export interface SkuForecastResponse {
  sku: string;
  /** Event time the rates and run-outs are computed at (the watermark). */
  asOf: string | null;
  locations: StockForecast[];
}

@Injectable()
export class StockService {
  constructor(
    private readonly liveState: LiveStateRepository,
    private readonly forecasts: ForecastRepository,
  ) {}

  list(query: StockListQueryDto): Promise<StockPage> {
    return this.liveState.listStock(query);
  }

  async findBySku(sku: string): Promise<{ sku: string; onHand: number; available: number; locations: StockRow[] }> {
    const locations = await this.liveState.findStock(sku);
    if (locations.length === 0) throw new NotFoundError(`No stock is known for SKU ${sku}`);
    return {
      sku,
      onHand: locations.reduce((sum, row) => sum + row.onHand, 0),
      available: locations.reduce((sum, row) => sum + row.available, 0),
      locations,
    };
  }

  async forecastBySku(sku: string, location?: string): Promise<SkuForecastResponse> {
    const { asOf, forecasts } = await this.forecasts.findForecasts(sku, location);
    if (forecasts.length === 0) {
      throw new NotFoundError(`No stock is known for SKU ${sku}${location === undefined ? '' : ` at ${location}`}`);
    }
    return { sku, asOf: asOf === null ? null : new Date(asOf).toISOString(), locations: forecasts };
  }
}
