import { Controller, Get, Query } from '@nestjs/common';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { liveKpisQuerySchema, LiveKpisQueryDto } from './kpis.dto';
import { KpisService } from './kpis.service';

@Controller('api/v1/kpis')
@RequireRole('viewer')
export class KpisController {
  constructor(private readonly kpis: KpisService) {}

  /** Rolling-window KPIs ending at the stream's watermark, overall or for one source. */
  @Get('live')
  live(@Query(new ZodValidationPipe(liveKpisQuerySchema)) query: LiveKpisQueryDto) {
    return this.kpis.live(query);
  }
}
