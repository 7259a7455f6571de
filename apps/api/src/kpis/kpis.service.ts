import { Injectable } from '@nestjs/common';
import { KpiRepository } from '@stockwall/aggregation';
import type { LiveKpis } from '@stockwall/contracts';
import type { LiveKpisQueryDto } from './kpis.dto';

@Injectable()
export class KpisService {
  constructor(private readonly kpis: KpiRepository) {}

  live(query: LiveKpisQueryDto): Promise<LiveKpis> {
    return this.kpis.readLive(query.window, query.source ?? null);
  }
}
