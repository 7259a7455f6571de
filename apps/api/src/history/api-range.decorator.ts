import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** OpenAPI for the from/to range every history route takes. */
export const ApiRange = () =>
  applyDecorators(
    ApiQuery({ name: 'from', required: false, description: 'ISO-8601 start (inclusive); default: to − 24 h' }),
    ApiQuery({ name: 'to', required: false, description: 'ISO-8601 end (exclusive); default: now' }),
  );
