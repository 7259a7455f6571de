import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { ZodTypeAny, z } from 'zod';

/** Validates a query, body or param with a zod schema; failures are 400s that name each field. */
export class ZodValidationPipe<TSchema extends ZodTypeAny> implements PipeTransform<unknown, z.output<TSchema>> {
  constructor(private readonly schema: TSchema) {}

  transform(value: unknown): z.output<TSchema> {
    const result = this.schema.safeParse(value);
    if (!result.success) {
      throw new BadRequestException(
        result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`),
      );
    }
    return result.data as z.output<TSchema>;
  }
}
