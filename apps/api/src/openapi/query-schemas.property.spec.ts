import fc from 'fast-check';
import type { ZodTypeAny } from 'zod';
import { API_ROUTES } from './open-api-document';
import { ValidationError } from '../common/domain-errors';
import { problemDocument } from '../common/problem-details';
import { ZodValidationPipe } from '../common/zod-validation.pipe';

/** Every query schema of the API (from the route registry), with the routes that read it. */
const QUERY_SCHEMAS: [string, ZodTypeAny][] = [
  ...API_ROUTES.reduce((routesBySchema, route) => {
    if (route.query) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      const named = routesBySchema.get(route.query);
      routesBySchema.set(route.query, named ? `${named}, ${name}` : name);
    }
    return routesBySchema;
  }, new Map<ZodTypeAny, string>()),
].map(([schema, routes]): [string, ZodTypeAny] => [routes, schema]);

const PARAMETERS = [
  'from',
  'to',
  'at',
  'cursor',
  'limit',
  'interval',
  'tz',
  'source',
  'location',
  'status',
  'by',
  'window',
  'reason',
  'shardId',
  'belowReorderPoint',
  'search',
  'days',
  'sku',
  '__proto__',
  'constructor',
];

/** Values as Express's query parser makes them: text, repeated keys (arrays) and bracketed keys (objects). */
const queryValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '+99:99',
        '2026-02-31T00:00:00Z',
        '0000-01-01T00:00:00Z',
        '1e3',
        '-1',
        'NaN',
        'Infinity',
        '%00',
        '9'.repeat(400),
      ),
    ),
  },
  { weight: 1, arbitrary: fc.array(fc.string(), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }) },
);
const query = fc.dictionary(fc.oneof(fc.constantFrom(...PARAMETERS), fc.string()), queryValue, { maxKeys: 6 });

describe('query parsing of every route', () => {
  it.each(QUERY_SCHEMAS)(
    '%s: any query string is parsed or refused with a 400 naming the parameter, never thrown',
    (_, schema) => {
      const pipe = new ZodValidationPipe(schema);
      fc.assert(
        fc.property(query, (input) => {
          let outcome: unknown;
          try {
            outcome = pipe.transform(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            const { status, errors = [] } = problemDocument(error, '/', 'id');
            expect(status).toBe(400);
            expect(errors.length).toBeGreaterThan(0);
            for (const field of errors) expect(`${field.path}: ${field.message}`).toMatch(/^[^:\s][^:]*: \S/);
            return;
          }
          expect(outcome).toBeDefined();
        }),
        { numRuns: 400 },
      );
    },
  );

  it.each(QUERY_SCHEMAS.filter(([, schema]) => schema.safeParse({}).success))(
    '%s: an impossible date, an offset past ±14:00 or a loose number is refused, naming its parameter',
    (_, schema) => {
      for (const [input, parameter] of [
        [{ from: '2026-02-31T00:00:00Z' }, 'from'],
        [{ to: '2024-01-01T00:00:00+99:99' }, 'to'],
        [{ limit: '1e3' }, 'limit'],
      ] as const) {
        const result = schema.safeParse(input);
        expect(result.success).toBe(false);
        // Routes without that parameter refuse it as unknown: also a 400, at the root.
        if (!result.success)
          expect(result.error.issues[0].path[0] ?? 'input').toMatch(new RegExp(`^(${parameter}|input)$`));
      }
    },
  );
});
