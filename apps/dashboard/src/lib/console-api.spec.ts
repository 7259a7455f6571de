import { describe, expect, it } from '@jest/globals';
import { CSRF_HEADER, fieldErrorsOf, messageOf, planRequest } from './console-api';

describe(fieldErrorsOf.name, () => {
  it('keys each issue by its dotted path, the first message of a field winning', () => {
    const body = {
      statusCode: 400,
      issues: [
        { path: ['reason'], message: 'Required' },
        { path: ['delta'], message: 'give exactly one of delta or countedQuantity' },
        { path: ['reason'], message: 'second' },
        { path: ['product', 'name'], message: 'too long' },
        { path: [], message: 'whole body' },
      ],
    };
    expect(fieldErrorsOf(body)).toEqual({
      reason: 'Required',
      delta: 'give exactly one of delta or countedQuantity',
      'product.name': 'too long',
      '': 'whole body',
    });
  });

  it('reads a problem document’s errors, whose paths are dotted strings', () => {
    const body = {
      code: 'validation_failed',
      errors: [
        { path: 'reason', message: 'String must contain at least 1 character(s)' },
        { path: 'input', message: 'give exactly one of delta or countedQuantity' },
      ],
    };
    expect(fieldErrorsOf(body)).toEqual({
      reason: 'String must contain at least 1 character(s)',
      '': 'give exactly one of delta or countedQuantity',
    });
  });

  it('is empty for bodies without issues', () => {
    expect(fieldErrorsOf(null)).toEqual({});
    expect(fieldErrorsOf({ issues: 'no' })).toEqual({});
    expect(fieldErrorsOf({ issues: [{ path: ['x'] }] })).toEqual({});
  });
});

describe(messageOf.name, () => {
  it('prefers the server’s message, else says what the status means', () => {
    expect(messageOf(409, { message: 'e-mail exists' })).toBe('e-mail exists');
    expect(messageOf(400, { message: ['a', 'b'] })).toBe('a; b');
    expect(messageOf(403, null)).toBe('Your role may not do this');
    expect(messageOf(0, null)).toBe('The server could not be reached');
    expect(messageOf(502, {})).toBe('The server answered 502');
  });
});

describe(planRequest.name, () => {
  it('sends the cookie and the CSRF header on unsafe requests', () => {
    const sut = planRequest('POST', '/api/v1/adjustments', { body: { sku: 'A' } });
    expect(sut.url).toBe('/api/v1/adjustments');
    expect(sut.init.credentials).toBe('same-origin');
    expect(sut.init.headers[CSRF_HEADER]).toBe('1');
    expect(sut.init.headers['content-type']).toBe('application/json');
    expect(sut.init.headers.authorization).toBeUndefined();
    expect(sut.init.body).toBe('{"sku":"A"}');
  });

  it('reads without the CSRF header, with the bearer token when there is one, skipping empty query values', () => {
    const sut = planRequest('GET', '/api/v1/stock', {
      bearer: 'jwt',
      query: { search: 'mug', location: '', limit: 10, cursor: undefined },
    });
    expect(sut.url).toBe('/api/v1/stock?search=mug&limit=10');
    expect(sut.init.headers[CSRF_HEADER]).toBeUndefined();
    expect(sut.init.headers.authorization).toBe('Bearer jwt');
    expect(sut.init.body).toBeUndefined();
  });
});
