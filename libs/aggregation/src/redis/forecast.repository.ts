import type { Redis } from 'ioredis';
import { RedisKeys, STOCK_INDEX_SEPARATOR, StockForecast } from '@stockwall/contracts';
import {
  forecastAt,
  ForecastInput,
  ForecastPosition,
  ForecastReadSettings,
  pageByRunOut,
  RankedForecast,
} from '../core/forecast';
import { FORECAST_HASH_FIELDS, parseForecastFields } from './forecast-hash';

export interface ForecastListQuery {
  location?: string;
  limit: number;
  /** The reading time of the listing's first page; absent: the current watermark. */
  asOf?: number;
  /** The last position of the previous page. */
  after?: ForecastPosition;
}

export interface ForecastPage {
  /** Event time the rates are decayed to; null before any event was applied. */
  asOf: number | null;
  forecasts: StockForecast[];
  next: ForecastPosition | null;
}

export interface SkuForecasts {
  asOf: number | null;
  forecasts: StockForecast[];
}

// Stock hashes read per pipeline round trip.
const READ_CHUNK = 1_000;

/**
 * Forecasts read from the stock hashes the apply script keeps, decayed to the watermark. The run-out
 * order depends on every SKU, so a listing reads every active SKU (of the location) once per page.
 */
export class ForecastRepository {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly settings: ForecastReadSettings,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  /** Active SKUs in run-out order, one page after `query.after`. */
  async listForecasts(query: ForecastListQuery): Promise<ForecastPage> {
    const asOf = query.asOf ?? (await this.readWatermark());
    let members = await this.redis.zrange(this.keys.stockIndex(), 0, -1);
    if (query.location !== undefined) {
      const suffix = `${STOCK_INDEX_SEPARATOR}${query.location}`;
      members = members.filter((member) => member.endsWith(suffix));
    }
    const inputs = (await this.readInputs(members)).filter((input) => input.active);
    const { page, next } = pageByRunOut(this.rank(inputs, asOf), query.limit, query.after);
    return { asOf, forecasts: page.map((entry) => entry.forecast), next };
  }

  /** The SKU's forecast at every location it is known at (or at one), inactive ones included. */
  async findForecasts(sku: string, location?: string): Promise<SkuForecasts> {
    const asOf = await this.readWatermark();
    const members = await this.redis.zrangebylex(
      this.keys.stockIndex(),
      `[${sku}${STOCK_INDEX_SEPARATOR}`,
      `(${sku}${String.fromCharCode(STOCK_INDEX_SEPARATOR.charCodeAt(0) + 1)}`,
    );
    const wanted =
      location === undefined
        ? members
        : members.filter((member) => member.split(STOCK_INDEX_SEPARATOR)[1] === location);
    const forecasts = this.rank(await this.readInputs(wanted), asOf).map((entry) => entry.forecast);
    return { asOf, forecasts };
  }

  private rank(inputs: ForecastInput[], asOf: number | null): RankedForecast[] {
    // Before any event there is no watermark, and no SKU has sold: nothing decays.
    return inputs.map((input) => forecastAt(input, asOf ?? input.rateAt ?? 0, this.settings));
  }

  private async readWatermark(): Promise<number | null> {
    const watermark = await this.redis.get(this.keys.watermark());
    return watermark ? Number(watermark) : null;
  }

  private async readInputs(members: readonly string[]): Promise<ForecastInput[]> {
    const inputs: ForecastInput[] = [];
    for (let start = 0; start < members.length; start += READ_CHUNK) {
      const chunk = members.slice(start, start + READ_CHUNK);
      const pipeline = this.redis.pipeline();
      const names = chunk.map((member) => member.split(STOCK_INDEX_SEPARATOR));
      for (const [sku, location] of names) pipeline.hmget(this.keys.stock(location, sku), ...FORECAST_HASH_FIELDS);
      const results = (await pipeline.exec()) ?? [];
      names.forEach(([sku, location], index) => {
        const [error, fields] = results[index] ?? [];
        if (error) throw error;
        const input = parseForecastFields(sku, location, fields as (string | null)[]);
        if (input) inputs.push(input);
      });
    }
    return inputs;
  }
}
