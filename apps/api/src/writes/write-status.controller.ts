import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { isApiWriteId, WriteStatus } from '@stockwall/contracts';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { wireIdentifierSchema } from '../common/wire-identifier.schema';
import { WriteStatusRepository } from './write-status.repository';

const eventIdSchema = wireIdentifierSchema.refine(isApiWriteId, 'must be the eventId of a write (api-…)');

/** The REST fallback of `write.applied`: a write's outcome for a day after it was decided. */
@ApiTags('writes')
@Controller('api/v1/writes')
export class WriteStatusController {
  constructor(private readonly outcomes: WriteStatusRepository) {}

  @Get(':eventId')
  @ApiOperation({ summary: 'Whether a write is pending, applied or rejected' })
  async status(@Param('eventId', new ZodValidationPipe(eventIdSchema)) eventId: string): Promise<WriteStatus> {
    const outcome = await this.outcomes.find(eventId);
    if (outcome === null) return { eventId, state: 'pending' };
    return outcome.state === 'applied'
      ? { eventId, state: 'applied' }
      : { eventId, state: 'rejected', reason: outcome.reason };
  }
}
