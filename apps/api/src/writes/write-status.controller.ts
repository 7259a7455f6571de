import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { isApiWriteId, RedisKeys, WriteOutcome, WriteStatus } from '@stockwall/contracts';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';

const eventIdSchema = wireIdentifierSchema.refine(isApiWriteId, 'must be the eventId of a write (api-…)');

/** The REST fallback of `write.applied`: a write's outcome for a day after it was decided. */
@ApiTags('writes')
@Controller('api/v1/writes')
export class WriteStatusController {
  private readonly keys: RedisKeys;

  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {
    this.keys = new RedisKeys(infrastructure.config.redis.prefix);
  }

  @Get(':eventId')
  @ApiOperation({ summary: 'Whether a write is pending, applied or rejected' })
  async status(@Param('eventId', new ZodValidationPipe(eventIdSchema)) eventId: string): Promise<WriteStatus> {
    const stored = await this.infrastructure.redis.get(`${this.keys.writeStatusPrefix()}${eventId}`);
    if (stored === null) return { eventId, state: 'pending' };
    const outcome = JSON.parse(stored) as WriteOutcome;
    return outcome.state === 'applied'
      ? { eventId, state: 'applied' }
      : { eventId, state: 'rejected', reason: outcome.reason };
  }
}
