import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { deadLetterQuerySchema, DeadLetterQueryDto } from './dead-letters.dto';
import { DeadLettersService } from './dead-letters.service';

@Controller('api/v1/dead-letters')
@RequireRole('admin')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @UseInterceptors(CsvInterceptor)
  list(@Query(new ZodValidationPipe(deadLetterQuerySchema)) query: DeadLetterQueryDto) {
    return this.deadLetters.list(query);
  }
}
