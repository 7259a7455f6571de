import { Injectable } from '@nestjs/common';
import { LiveStateRepository } from '@stockwall/aggregation';
import { formatCents } from '@stockwall/contracts';
import { NotFoundError } from '../common/domain-errors';
import type { UpdateProductDto } from '../writes/writes.dto';
import { WritesService } from '../writes/writes.service';
import { ProductRepository } from './product.repository';

export interface ProductView {
  sku: string;
  name: string | null;
  category: string | null;
  description: string | null;
  unitPrice: string | null;
  unitCost: string | null;
  updatedAt: string;
}

/** The catalog record of a SKU (MySQL), and catalog edits, which go through the stream like every write. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductRepository,
    private readonly liveState: LiveStateRepository,
    private readonly writes: WritesService,
  ) {}

  async find(sku: string): Promise<ProductView> {
    const row = await this.products.findBySku(sku);
    if (!row) throw new NotFoundError(`No product ${sku}`);
    return {
      sku: row.sku,
      name: row.name,
      category: row.category,
      description: row.description,
      unitPrice: row.unitPriceCents === null ? null : formatCents(Number(row.unitPriceCents)),
      unitCost: row.unitCostCents === null ? null : formatCents(Number(row.unitCostCents)),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async update(sku: string, request: UpdateProductDto, actor: string) {
    const locations = (await this.liveState.findStock(sku)).map((row) => row.location);
    return this.writes.updateProduct(sku, request, [...new Set(locations)].sort(), actor);
  }
}
