import { createHash } from 'node:crypto';
import { aggregateOneWithLibrary } from '../../../../test/support/kpl-records';
import { seededRandom } from '../../../../test/support/seeded-random';
import { DEAD_LETTER_RAW_BYTES } from './dead-letter';
import { DEAD_LETTER_REASONS } from './event-decoder';
import { KPL_MAGIC } from './kpl-deaggregator';
import { DecodedRecord, decodeRecord } from './record-unpacker';

// The largest MAX_EVENT_BYTES the config allows: every record up to 1 MiB is decoded in full, not
// turned away as too large, so the bounds below cover UTF-8, JSON, validation and redaction.
const MAX_EVENT_BYTES = 1_048_576;
const SMALL = 100 * 1024;
const LARGE = 1_048_576;
/** Per record, for any record up to 1 MiB: far below a lease's lifetime (3 s) on a busy machine. */
const MAX_MS_PER_RECORD = 250;
/**
 * Plus this per user record of a KPL aggregate: each is an event of its own (decoded, or a dead
 * letter built), and a megabyte of one-byte user records holds 150,000 of them. Their number is
 * bounded by the record's size, so the cost stays linear in it.
 */
const MAX_MS_PER_USER_RECORD = 0.05;
const allowedMs = (decoded: DecodedRecord) => MAX_MS_PER_RECORD + decoded.userRecords * MAX_MS_PER_USER_RECORD;
/**
 * 10x the bytes may cost at most 30x the time; linear code takes ~10x, quadratic ~100x. The room
 * above 10x is for garbage collection: a megabyte aggregate of empty objects makes 150,000 objects
 * and took 19.7x its 100 KiB version during a full test run on a loaded 2-core machine.
 */
const MAX_GROWTH = 30;
const MIN_COMPARED_MS = 5;

const context = { streamName: 'events', range: null, after: null, receivedAt: 0 };
const options = { maxEventBytes: MAX_EVENT_BYTES };

function decode(data: Uint8Array): DecodedRecord {
  return decodeRecord(
    { shardId: 'shardId-000000000000', sequenceNumber: '4950', arrivalTime: 0, data },
    context,
    options,
  );
}

/**
 * The record's cost in CPU time of this process: what the decoding takes, not how long it waited
 * for a core on a machine busy with other work (wall times there vary tenfold).
 */
function timed(data: Uint8Array): { ms: number; decoded: DecodedRecord } {
  const start = process.cpuUsage();
  const decoded = decode(data);
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, decoded };
}

/** The fastest of a few runs: what the code costs, without a GC pause or another process in it. */
function fastest(data: Uint8Array, runs = 5): { ms: number; decoded: DecodedRecord } {
  let best = timed(data);
  for (let run = 1; run < runs; run++) {
    const next = timed(data);
    if (next.ms < best.ms) best = next;
  }
  return best;
}

const repeat = (unit: string, bytes: number) =>
  Buffer.from(unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes));
const nested = (open: string, close: string, bytes: number) => {
  const depth = Math.floor(bytes / (open.length + close.length));
  return Buffer.from(open.repeat(depth) + close.repeat(depth));
};
const wrapped = (prefix: string, unit: string, suffix: string, bytes: number) =>
  Buffer.concat([Buffer.from(prefix), repeat(unit, bytes - prefix.length - suffix.length), Buffer.from(suffix)]);

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const littleEndian = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  if (bigEndian) littleEndian.swap16();
  return littleEndian;
}

/** A KPL aggregate with a valid MD5: `body` is trusted to be whatever the test wants it to be. */
function kplWithChecksum(body: Buffer): Buffer {
  return Buffer.concat([KPL_MAGIC, body, createHash('md5').update(body).digest()]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

const field = (tag: number, payload: Buffer) => Buffer.concat([Buffer.from([tag]), varint(payload.length), payload]);

/** One partition key and as many one-byte user records as fit: the most records a byte can buy. */
function kplOfTinyRecords(bytes: number, data: string): Buffer {
  const userRecord = field(0x1a, Buffer.concat([Buffer.from([0x08, 0x00]), field(0x1a, Buffer.from(data))]));
  const count = Math.floor((bytes - 40) / userRecord.length);
  return kplWithChecksum(Buffer.concat([field(0x0a, Buffer.from('k')), ...Array(count).fill(userRecord)]));
}

/** Inputs built to hit the worst case of a scanner: backtracking regexes, deep parsers, many user records. */
const ADVERSARIAL: [string, (bytes: number) => Buffer][] = [
  ['letters (an e-mail local part without its @)', (bytes) => repeat('a', bytes)],
  ['"a@a.a" repeated', (bytes) => repeat('a@a.a', bytes)],
  ['an @ and endless domain labels', (bytes) => wrapped('x@', 'a.', '', bytes)],
  ['"@a" repeated', (bytes) => repeat('@a', bytes)],
  ['"email": repeated', (bytes) => repeat('"email":', bytes)],
  ['"email": and spaces', (bytes) => wrapped('"email":', ' ', '', bytes)],
  ['an unterminated personal value', (bytes) => wrapped('{"customer_name":"', 'ab ', '', bytes)],
  ['escaped quotes in a personal value', (bytes) => wrapped('{"email":"', '\\"', '', bytes)],
  ['digits', (bytes) => repeat('7', bytes)],
  ['digits and spaces', (bytes) => repeat('7 ', bytes)],
  ['digits and dashes', (bytes) => repeat('7-', bytes)],
  ['card numbers', (bytes) => repeat('4539 5787 6362 1486 ', bytes)],
  ['spaces', (bytes) => repeat(' ', bytes)],
  ['dashes', (bytes) => repeat('-', bytes)],
  ['unclosed [', (bytes) => repeat('[', bytes)],
  ['unclosed {"a":', (bytes) => repeat('{"a":', bytes)],
  ['nested arrays, closed', (bytes) => nested('[', ']', bytes)],
  ['nested objects, closed', (bytes) => Buffer.from(`${'{"a":'.repeat(bytes / 6)}1${'}'.repeat(bytes / 6)}`)],
  ['a deeply nested event_type', (bytes) => Buffer.from(`{"event_type":${nested('[', ']', bytes - 20).toString()}}`)],
  [
    'a deeply nested product',
    (bytes) =>
      Buffer.from(`{"event_type":"quantity_changed","product":${'{"a":'.repeat(bytes / 6)}1${'}'.repeat(bytes / 6)}}`),
  ],
  [
    'a long string in a valid event',
    (bytes) => wrapped('{"event_type":"quantity_changed","note":"', 'x', '","product":{}}', bytes),
  ],
  ['a long event_type', (bytes) => wrapped('{"event_type":"', '4539 5787 6362 1486 x@y.zz ', '"}', bytes)],
  ['invalid UTF-8', (bytes) => Buffer.concat([repeat('a', bytes - 1), Buffer.from([0xc3])])],
  [
    'UTF-16 with a BOM',
    (bytes) => utf16(`{"event_type":"quantity_changed","note":"${'x'.repeat(bytes / 2)}"}`, false, true),
  ],
  [
    'UTF-16BE without a BOM',
    (bytes) => utf16(`{"event_type":"quantity_changed","n":"${'a@a.a'.repeat(bytes / 10)}"}`, true, false),
  ],
  ['KPL magic and garbage', (bytes) => Buffer.concat([KPL_MAGIC, repeat('a@a.a', bytes - 4)])],
  ['a well-summed malformed KPL body', (bytes) => kplWithChecksum(repeat('\x1a\xff', bytes - 20))],
  ['a KPL aggregate of one-byte records', (bytes) => kplOfTinyRecords(bytes, '{')],
  ['a KPL aggregate of empty objects', (bytes) => kplOfTinyRecords(bytes, '{}')],
];

// Planted personal data: digits 2–9 and upper-case letters, which the generated filler never uses,
// so any six of their characters found in a dead letter can only have come from them (six: a detail
// quotes sizes and positions, whose digits may match four of a card number's by chance).
interface Secret {
  text: string;
  /** Parts that must not appear, even in part, in what a dead letter keeps. */
  parts: string[];
}

function secretMaker(random: () => number) {
  const pick = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  return (): Secret => {
    if (random() < 0.5) {
      const digits = pick('23456789', 16); // any 16 digits are redacted, Luhn or not
      const separator = ['', ' ', '-'][Math.floor(random() * 3)];
      const text = (digits.match(/.{4}/g) ?? []).join(separator);
      return { text, parts: [text] };
    }
    const local = pick('GHJKLMNPQRSTVWXYZ', 8);
    const domain = pick('GHJKLMNPQRSTVWXYZ', 8);
    return { text: `${local}@${domain}.com`, parts: [local, domain] };
  };
}

/** Every window of six characters of each part: a partial card number or address shows up too. */
const WINDOW = 6;
function windows(secrets: Secret[]): string[] {
  const found = new Set<string>();
  for (const secret of secrets) {
    for (const part of secret.parts)
      for (let index = 0; index + WINDOW <= part.length; index++) found.add(part.slice(index, index + WINDOW));
  }
  return [...found];
}

const FILLER = 'a@.1 -"{}[]:,\\e0\n';

interface FuzzCase {
  name: string;
  data: Buffer;
  secrets: Secret[];
}

/** Random records, seeded: sizes from 1 byte to 1 MiB, bytes or JSON-ish text with personal data planted in it. */
function randomCases(seed: number, count: number): FuzzCase[] {
  const random = seededRandom(seed);
  const secret = secretMaker(random);
  const cases: FuzzCase[] = [];
  for (let index = 0; index < count; index++) {
    const size = Math.max(1, Math.floor(2 ** (random() * 20)));
    const kind = Math.floor(random() * 4);
    if (kind === 0) {
      const data = Buffer.alloc(size);
      for (let at = 0; at < size; at++) data[at] = Math.floor(random() * 256);
      if (random() < 0.3) KPL_MAGIC.forEach((byte, at) => (data[at] = byte));
      cases.push({ name: `random bytes #${index} (${size} B)`, data, secrets: [] });
      continue;
    }
    const characters: string[] = [];
    for (let at = 0; at < size; at++) characters.push(FILLER[Math.floor(random() * FILLER.length)]);
    const secrets: Secret[] = [];
    // Around the places where a dead letter's bytes are cut, and anywhere else.
    const places = [0, 2030, 2040, 2044, 2048, 2052, 2290, 2300, 2304, 2310, size - 10];
    for (let extra = 0; extra < 5; extra++) places.push(Math.floor(random() * size));
    for (const place of places.filter((at) => at >= 0 && at < size).sort((left, right) => right - left)) {
      const planted = secret();
      secrets.push(planted);
      characters.splice(place, 0, `\n${planted.text}\n`);
    }
    const text = characters.join('');
    const body =
      kind === 1 ? text : kind === 2 ? `{"event_type":"order_placed","note":"${text}` : `{"email":"${text}"}`;
    cases.push({ name: `random text #${index} (${body.length} B, kind ${kind})`, data: Buffer.from(body), secrets });
  }
  return cases;
}

/** Adversarial records with personal data planted at the start and across the places where a dead letter is cut. */
function adversarialCases(bytes: number, seed: number): FuzzCase[] {
  const secret = secretMaker(seededRandom(seed));
  return ADVERSARIAL.map(([name, make]) => {
    const data = make(bytes);
    if (data.subarray(0, 4).equals(KPL_MAGIC)) return { name, data, secrets: [] };
    const secrets = [secret(), secret(), secret(), secret()];
    const [first, ...rest] = secrets;
    const text = data.toString('latin1');
    let planted = `\n${first.text}\n${text}`;
    // From the last place to the first, so that no secret is planted inside another.
    const places = [DEAD_LETTER_RAW_BYTES + 250, DEAD_LETTER_RAW_BYTES + 2, 2040];
    for (const [index, at] of places.entries()) {
      planted = `${planted.slice(0, at)}\n${rest[index].text}\n${planted.slice(at)}`;
    }
    return { name, data: Buffer.from(planted, 'latin1'), secrets };
  });
}

/** What went wrong with one record, or nothing. */
function problems(fuzz: FuzzCase, decoded: DecodedRecord, ms: number): string[] {
  const found: string[] = [];
  if (ms >= allowedMs(decoded)) found.push(`took ${ms.toFixed(0)} ms`);
  if (decoded.events.length + decoded.deadLetters.length === 0) found.push('neither events nor a dead letter');
  const forbidden = windows(fuzz.secrets);
  for (const letter of decoded.deadLetters) {
    if (!(DEAD_LETTER_REASONS as readonly string[]).includes(letter.reason) || letter.detail === '') {
      found.push(`dead letter without a reason: ${letter.reason}`);
    }
    const kept = Buffer.from(letter.rawBase64, 'base64');
    if (kept.byteLength > DEAD_LETTER_RAW_BYTES) found.push(`kept ${kept.byteLength} bytes`);
    for (const text of [kept.toString('latin1'), letter.detail]) {
      const leaked = forbidden.find((window) => text.includes(window));
      if (leaked !== undefined) {
        const at = text.indexOf(leaked);
        found.push(
          `personal data kept (${letter.reason}): ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`,
        );
      }
    }
  }
  return found.map((problem) => `${fuzz.name}: ${problem}`);
}

function check(fuzz: FuzzCase): string[] {
  try {
    const { ms, decoded } = timed(fuzz.data);
    return problems(fuzz, decoded, ms);
  } catch (error) {
    return [`${fuzz.name}: threw ${(error as Error).message}`];
  }
}

describe(`${decodeRecord.name} under fuzzing`, () => {
  beforeAll(() => {
    // Warm the code up, so the first timed record does not pay for compilation.
    for (const fuzz of adversarialCases(4096, 1)) check(fuzz);
  });

  it('decodes seeded random records up to 1 MiB within the time bound, never throwing or keeping personal data', () => {
    const found = randomCases(20_261_204, 60).flatMap(check);
    expect(found).toEqual([]);
  });

  it.each([SMALL, LARGE])(
    'decodes adversarial records of %i bytes within the time bound, never throwing or keeping personal data',
    (bytes) => {
      const found = adversarialCases(bytes, bytes).flatMap(check);
      expect(found).toEqual([]);
    },
  );

  it('decodes records over the size limit from their head only', () => {
    const found = adversarialCases(MAX_EVENT_BYTES + 1000, 7).flatMap((fuzz) => {
      const problemsFound = check(fuzz);
      const { decoded } = timed(fuzz.data);
      const reasons = decoded.deadLetters.map((letter) => letter.reason);
      const expected = fuzz.data.subarray(0, 4).equals(KPL_MAGIC) ? null : ['too_large'];
      if (expected && JSON.stringify(reasons) !== JSON.stringify(expected))
        problemsFound.push(`${fuzz.name}: ${reasons.join(', ')}`);
      return problemsFound;
    });
    expect(found).toEqual([]);
  });

  it('dead-letters the user records of a KPL aggregate of adversarial records one by one', async () => {
    const userRecords = ADVERSARIAL.filter(([name]) => !name.startsWith('KPL') && !name.startsWith('UTF-16')).map(
      ([, make], index) => ({ partitionKey: `k${index}`, data: make(20_000) }),
    );
    const aggregate = await aggregateOneWithLibrary(userRecords);
    const { ms, decoded } = timed(aggregate);
    expect(ms).toBeLessThan(MAX_MS_PER_RECORD);
    expect(decoded.events.length + decoded.deadLetters.length).toBe(userRecords.length);
    expect(decoded.last).toEqual({ sequenceNumber: '4950', subSequence: userRecords.length - 1 });
  });

  it.each(ADVERSARIAL.map(([name]) => name))('takes time linear in the size of %s', (name) => {
    const make = ADVERSARIAL.find(([candidate]) => candidate === name)![1];
    const small = fastest(make(SMALL));
    // Quadratic code already fails here: no need to wait for it at 1 MiB.
    expect(small.ms).toBeLessThan(allowedMs(small.decoded));
    const large = fastest(make(LARGE));
    expect(large.ms).toBeLessThan(allowedMs(large.decoded));
    // Below a few milliseconds the timer and the caches dominate: the floor keeps noise from failing it.
    expect(large.ms / Math.max(small.ms, MIN_COMPARED_MS)).toBeLessThan(MAX_GROWTH);
  });
});
