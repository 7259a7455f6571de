import { Injectable } from '@nestjs/common';
import { SupplierLeadTime, SupplierLeadTimeRepository } from '@stockwall/aggregation';
import type { LeadTimeListQueryDto } from './suppliers.dto';
import { NotFoundError } from '../common/domain-errors';

@Injectable()
export class SuppliersService {
  constructor(private readonly leadTimes: SupplierLeadTimeRepository) {}

  /** Lead times by supplier id, a page after `cursor` (the last supplier id of the previous page). */
  async list(query: LeadTimeListQueryDto): Promise<{ items: SupplierLeadTime[]; nextCursor: string | null }> {
    const all = await this.leadTimes.list();
    const cursor = query.cursor;
    const remaining = cursor === undefined ? all : all.filter((entry) => entry.supplierId > cursor);
    const items = remaining.slice(0, query.limit);
    return { items, nextCursor: remaining.length > query.limit ? items[items.length - 1].supplierId : null };
  }

  async set(supplierId: string, days: number): Promise<SupplierLeadTime> {
    await this.leadTimes.set(supplierId, days);
    return { supplierId, days };
  }

  async remove(supplierId: string): Promise<void> {
    if (!(await this.leadTimes.remove(supplierId))) {
      throw new NotFoundError(`No lead time is on record for supplier ${supplierId}`);
    }
  }
}
