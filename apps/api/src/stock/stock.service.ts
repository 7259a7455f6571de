import { Injectable, NotFoundException } from '@nestjs/common';
import { LiveStateRepository, StockPage } from '@stockwall/aggregation';
import type { StockRow } from '@stockwall/contracts';
import type { StockListQueryDto } from './stock.dto';

@Injectable()
export class StockService {
  constructor(private readonly liveState: LiveStateRepository) {}

  list(query: StockListQueryDto): Promise<StockPage> {
    return this.liveState.listStock(query);
  }

  async findBySku(sku: string): Promise<{ sku: string; onHand: number; available: number; locations: StockRow[] }> {
    const locations = await this.liveState.findStock(sku);
    if (locations.length === 0) throw new NotFoundException(`No stock is known for SKU ${sku}`);
    return {
      sku,
      onHand: locations.reduce((sum, row) => sum + row.onHand, 0),
      available: locations.reduce((sum, row) => sum + row.available, 0),
      locations,
    };
  }
}
