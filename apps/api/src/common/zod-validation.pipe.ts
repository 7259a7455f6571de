import { PipeTransform } from '@nestjs/common';
import type { ZodTypeAny, z } from 'zod';
import { ValidationError } from './domain-errors';

/** Validates a query, body or param with a zod schema; failures are 400s that name each field. */
export class ZodValidationPipe<TSchema extends ZodTypeAny> implements PipeTransform<unknown, z.output<TSchema>> {
  constructor(private readonly schema: TSchema) {}

  transform(value: unknown): z.output<TSchema> {
    const result = this.schema.safeParse(value);
    if (!result.success) {
      throw new ValidationError(
        result.error.issues.map((issue) => ({ path: issue.path.join('.') || 'input', message: issue.message })),
      );
    }
    return result.data as z.output<TSchema>;
  }
}
