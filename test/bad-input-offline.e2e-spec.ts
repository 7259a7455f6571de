import { ConfigError, loadConfig } from '@stockwall/config';
import { CafeConverter } from '../apps/cli/src/replay/cafe.converter';
import { EventsJsonlConverter } from '../apps/cli/src/replay/events-jsonl.converter';
import { OnlineRetailConverter } from '../apps/cli/src/replay/online-retail.converter';
import { DEFAULT_REPLAY_OPTIONS } from '../apps/cli/src/replay/replay-types';
import { added, quantityChanged } from './support/bad-input';

/**
 * The bad-input corpus, offline: replay CSV rows and the environment, each case with its exact
 * refusal, and beside each the good input that must still work. Nothing here needs a running stack.
 */
describe('replay CSV rows', () => {
  const origin = { file: '/data/by-day/2011-01-04.csv', line: 2 };
  const retailRow = (overrides: Partial<Record<number, string>> = {}) => {
    const row = ['536365', '85123A', 'MUG', '6', '2011-01-04 10:00:00', '2.55', '17850.0', 'United Kingdom'];
    for (const [index, value] of Object.entries(overrides)) row[Number(index)] = value as string;
    return row;
  };
  const cafeRow = (overrides: Partial<Record<number, string>> = {}) => {
    const row = ['04/01/2024 10:00', 'Chesterfield', 'Ann Smith', 'Latte - 3.10', '3.10', 'card', '4111111111111111'];
    for (const [index, value] of Object.entries(overrides)) row[Number(index)] = value as string;
    return row;
  };

  it.each([
    ['too few fields', retailRow().slice(0, 7), 'bad_layout'],
    ['31 February', retailRow({ 4: '2011-02-31 10:00:00' }), 'bad_date'],
    ['a month 13', retailRow({ 4: '2011-13-01 10:00:00' }), 'bad_date'],
    ['year 0000', retailRow({ 4: '0000-01-04 10:00:00' }), 'bad_date'],
    ['a quantity in words', retailRow({ 3: 'six' }), 'bad_number'],
    ['a quantity of 0', retailRow({ 3: '0' }), 'bad_number'],
    ['a negative price', retailRow({ 5: '-2.55' }), 'bad_number'],
    ['a price of 1e3', retailRow({ 5: '1e3' }), 'bad_number'],
    ['a bad-debt adjustment', retailRow({ 0: 'A563185' }), 'bad_debt_adjustment'],
    ['a postage code', retailRow({ 1: 'POST' }), 'non_product_code'],
  ])('online retail: refuses a row with %s, and converts the good row after it', (_, row, reason) => {
    const sut = new OnlineRetailConverter(DEFAULT_REPLAY_OPTIONS);
    expect(sut.convert(row, origin)).toBe(reason);
    sut.convert(retailRow(), { ...origin, line: 3 });
    expect(sut.flush().map((event) => event.event_type)).toContain('order_placed');
  });

  it.each([
    ['31 February', cafeRow({ 0: '31/02/2024 10:00' }), 'bad_date'],
    ['a US date', cafeRow({ 0: '2024-01-04 10:00' }), 'bad_date'],
    ['an empty basket', cafeRow({ 3: '' }), 'empty_basket'],
    ['a total that does not add up', cafeRow({ 4: '9.99' }), 'total_mismatch'],
    ['a store with a newline', cafeRow({ 1: 'Chester\nfield' }), 'bad_layout'],
  ])('café: refuses a row with %s, and converts the good row after it', (_, row, reason) => {
    const sut = new CafeConverter(DEFAULT_REPLAY_OPTIONS);
    expect(sut.convert(row, origin)).toBe(reason);
    const good = sut.convert(cafeRow(), { ...origin, line: 3 });
    expect(Array.isArray(good)).toBe(true);
    expect(JSON.stringify(good)).not.toContain('4111111111111111');
    expect(JSON.stringify(good)).not.toContain('Ann Smith');
  });

  it.each([
    ['not JSON', '{"event_type":', 'not_json'],
    [
      '31 February',
      JSON.stringify(quantityChanged({ product_id: 'A', quantity_delta: 1, timestamp: '2026-02-31T00:00:00Z' })),
      'invalid_event',
    ],
    ['an unknown type', '{"event_type":"nope"}', 'unknown_event_type'],
  ])('events-jsonl: refuses a line with %s, and converts the good line after it', (_, line, reason) => {
    const sut = new EventsJsonlConverter(() => Date.parse('2024-06-01T00:00:00Z'));
    expect(sut.convert([line], origin)).toBe(reason);
    expect(sut.convert([JSON.stringify(added('JSONL-OK'))], { ...origin, line: 3 })).toHaveLength(1);
  });
});

describe('environment', () => {
  const GOOD_SECRET = 'k3J9x-Qw2Lm8Zp4Rt7Yv1Nb6Hc5Gd0Fs_Ue';

  it.each([
    ['JWT_SECRET', 'short-secret'],
    ['JWT_SECRET', 'stockwall-development-secret-do-not-use-in-production'],
    ['JWT_SECRET', 'local-compose-only-secret-change-me'],
    ['JWT_SECRET', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['ACCESS_TOKEN_MAX_TTL_SECONDS', '0'],
    ['ACCESS_TOKEN_MAX_TTL_SECONDS', '1e6'],
    ['DISPLAY_TOKEN_MAX_TTL_DAYS', '99999'],
    ['TRUST_PROXY', 'loopback'],
    ['TRUST_PROXY', '10.0.0.0/99'],
    ['TRUST_PROXY', '11'],
    ['JWKS_URL', 'ftp://idp.example/keys'],
    ['PORT', '65536'],
    ['PORT', '80\n81'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_PREFIX', 'sw:\nx'],
    ['RATE_LIMIT_MAX', '-1'],
    ['LIVE_SUBSCRIBE_BURST', '0'],
    ['LIVE_SUBSCRIBES_PER_MINUTE', 'many'],
    ['MAX_EVENT_BYTES', '99999999'],
    ['CORS_ORIGINS', 'javascript:alert(1)'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%j with one line naming it, and starts with the good value', (variable, value) => {
    let problems: string[] = [];
    try {
      loadConfig({ JWT_SECRET: GOOD_SECRET, JWKS_ISSUER: 'https://idp.example/', [variable]: value });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${variable}: `))]);
    expect(() => loadConfig({ JWT_SECRET: GOOD_SECRET })).not.toThrow();
  });
});
