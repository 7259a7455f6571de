import type { DataSource } from 'typeorm';
import { ProductEntity } from '@stockwall/persistence';

/** The product catalog in MySQL (the persist jobs keep it from the catalog events). */
export class ProductRepository {
  constructor(private readonly dataSource: DataSource) {}

  findBySku(sku: string): Promise<ProductEntity | null> {
    return this.dataSource.getRepository(ProductEntity).findOneBy({ sku });
  }
}
