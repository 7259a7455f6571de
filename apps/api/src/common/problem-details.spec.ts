import { BadRequestException, ForbiddenException, PayloadTooLargeException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from './domain-errors';
import { codeForStatus, problemDocument } from './problem-details';

const problem = (exception: unknown) => problemDocument(exception, '/api/v1/stock/A-1', 'request-1');

describe(problemDocument.name, () => {
  it('answers a validation error with every refused field, its code and the v1 members', () => {
    expect(
      problem(
        new ValidationError([
          { path: 'limit', message: 'must be at most 1000' },
          { path: 'lines.0.sku', message: 'must not be empty' },
        ]),
      ),
    ).toEqual({
      type: '/api/docs/problems#validation_failed',
      title: 'Bad Request',
      status: 400,
      detail: 'limit: must be at most 1000; lines.0.sku: must not be empty',
      instance: '/api/v1/stock/A-1',
      code: 'validation_failed',
      errors: [
        { path: 'limit', message: 'must be at most 1000' },
        { path: 'lines.0.sku', message: 'must not be empty' },
      ],
      correlationId: 'request-1',
      statusCode: 400,
      error: 'Bad Request',
      message: ['limit: must be at most 1000', 'lines.0.sku: must not be empty'],
    });
  });

  it.each([
    [new NotFoundError('No stock is known for SKU A-1'), 404, 'not_found', 'Not Found'],
    [new ConflictError([{ path: 'email', message: 'a user with this e-mail exists' }]), 409, 'conflict', 'Conflict'],
    [new UnavailableError('History is unavailable', 5), 503, 'dependency_unavailable', 'Service Unavailable'],
    [new ForbiddenException('This needs the admin role'), 403, 'forbidden', 'Forbidden'],
    [new ThrottlerException(), 429, 'rate_limited', 'Too Many Requests'],
    [new PayloadTooLargeException('request entity too large'), 413, 'payload_too_large', 'Payload Too Large'],
  ])('maps %p to %i %s', (exception, status, code, title) => {
    expect(problem(exception)).toMatchObject({
      status,
      statusCode: status,
      code,
      title,
      type: `/api/docs/problems#${code}`,
    });
  });

  it("reads Nest's `path: why` messages as field errors", () => {
    expect(problem(new BadRequestException(['token: must be a token with an id']))).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'token', message: 'must be a token with an id' }],
      detail: 'token: must be a token with an id',
    });
  });

  it("answers body-parser's exposed client errors with their own status and message", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(problem(tooLarge)).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      detail: 'request entity too large',
    });
  });

  it('shows nothing of an unexpected error: 500, "Internal error"', () => {
    const bug = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:3306 password=hunter2'), { status: 500 });
    const document = problem(bug);
    expect(document).toMatchObject({ status: 500, code: 'internal', detail: 'Internal error' });
    expect(JSON.stringify(document)).not.toMatch(/hunter2|ECONNREFUSED/);
  });
});

describe(codeForStatus.name, () => {
  it('gives unlisted 4xx the validation code and unlisted 5xx the internal one', () => {
    expect(codeForStatus(422)).toBe('validation_failed');
    expect(codeForStatus(502)).toBe('internal');
  });
});
