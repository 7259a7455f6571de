import type { DataSource } from 'typeorm';
import { fillSkuSalesDays, fillSuppliers } from '../migrations/1765400000000-sku-sales-day';
import { fillCustomerOrders } from '../migrations/1765400000001-customer-orders';
import { fillStockDeltas } from '../migrations/1765400000002-line-stock-deltas';
import { fillCustomerFirstOrders } from '../migrations/1765400000004-customer-first-orders';

/**
 * Recomputes every summary the persist path keeps beside the raw rows (per-day SKU sales, suppliers,
 * customer orders, line stock effects and their per-day sums) from the stored events and lines, as
 * the migrations that added them did. For data bulk-loaded straight into the tables (the history
 * bench); the persist path keeps them itself.
 */
export async function refillSummaries(dataSource: DataSource): Promise<void> {
  // One connection: the stock-effect fill goes through a temporary table.
  const runner = dataSource.createQueryRunner();
  try {
    await fillSkuSalesDays(runner);
    await fillSuppliers(runner);
    await fillCustomerOrders(runner);
    await fillCustomerFirstOrders(runner);
    await fillStockDeltas(runner);
  } finally {
    await runner.release();
  }
}
