import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** OpenAPI for the filters the sales reports take besides from/to. */
export const ApiReportFilters = () =>
  applyDecorators(
    ApiQuery({ name: 'source', required: false, description: 'one channel or store' }),
    ApiQuery({ name: 'location', required: false, description: 'one stock location' }),
    ApiQuery({ name: 'tz', required: false, description: 'IANA time zone (default UTC)' }),
  );
