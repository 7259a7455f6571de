import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CsvFileReading, CsvReadError, LineSkipper, parseCsv, readCsvFile } from './csv-records';

describe(parseCsv.name, () => {
  it('handles quotes, doubled quotes, commas inside quotes and CRLF, with the starting line of each record', () => {
    const sut = parseCsv('a,"b, c","say ""hi"""\r\n\r\nd,"multi\nline",£5\n');
    expect(sut).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 3, fields: ['d', 'multi\nline', '£5'] },
    ]);
  });

  it('counts CRLF, LF and CR line breaks alike, inside quotes too, in one file', () => {
    const sut = parseCsv('\uFEFFh1,h2\r\nx,"two\r\nlines"\ny,1\rz,"a\rb"\n\n\nlast');
    expect(sut).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['x', 'two\r\nlines'] },
      { line: 4, fields: ['y', '1'] },
      { line: 5, fields: ['z', 'a\rb'] },
      { line: 9, fields: ['last'] },
    ]);
  });

  it('refuses a quote that is never closed, naming the line its record starts on', () => {
    expect(() => parseCsv('a,b\nc,d\ne,"f\ng,h\n')).toThrow(new CsvReadError(3, 'a quoted field is never closed'));
  });
});

describe(readCsvFile.name, () => {
  const directory = mkdtempSync(join(tmpdir(), 'csv-records-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const read = async (name: string, text: string, options?: CsvFileReading) => {
    const file = join(directory, name);
    writeFileSync(file, text);
    const items: unknown[] = [];
    for await (const item of readCsvFile(file, options)) items.push(item);
    return items;
  };

  it('streams the same records and lines as parseCsv', async () => {
    const text = 'a,"b\r\nc"\r\n\r\nd,e\n"f ""g""",h\n';
    expect(await read('same.csv', text)).toEqual(parseCsv(text));
  });

  it('reports a record whose quote is never closed at its line and reads every line after it', async () => {
    expect(await read('unclosed.csv', 'a,b\nc,"d\ne,f\r\ng,h\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, problem: 'a quoted field is never closed' },
      { line: 3, fields: ['e', 'f'] },
      { line: 4, fields: ['g', 'h'] },
    ]);
  });

  it('pairs a stray quote with the next one, as CSV reads them: one record spanning the lines between', async () => {
    expect(await read('paired.csv', 'x,"1\ny,2\nz,"3\nw,4\n')).toEqual([
      { line: 1, fields: ['x', '"1\ny,2\nz,"3'] },
      { line: 4, fields: ['w', '4'] },
    ]);
  });

  it('refuses a record over the size limit (a runaway quote) and goes on after its first line', async () => {
    const items = await read('long.csv', `a,1\nb,"${'x'.repeat(100)}\nc,3\n`, { maxRecordBytes: 64 });
    expect(items).toEqual([
      { line: 1, fields: ['a', '1'] },
      { line: 2, problem: 'the record is longer than 64 bytes (a quoted field never closed?)' },
      { line: 3, fields: ['c', '3'] },
    ]);
  });

  it('stops after the most unreadable records a file may have and says the rest is not read', async () => {
    const lines = Array.from({ length: 8 }, (_, index) => `row${index},"${'x'.repeat(100)}`);
    const items = (await read('many.csv', `${lines.join('\n')}\n`, { maxRecordBytes: 64, maxProblems: 5 })) as {
      line: number;
      problem?: string;
    }[];
    expect(items.map((item) => item.line)).toEqual([1, 2, 3, 4, 5]);
    expect(items.every((item) => item.problem !== undefined)).toBe(true);
    expect(items.at(-1)?.problem).toMatch(/; 5 unreadable records: the rest of the file is not read$/);
  });
});

describe(LineSkipper.name, () => {
  const skip = async (count: number, chunks: string[]) => {
    const output: Buffer[] = [];
    for await (const chunk of Readable.from(chunks.map((text) => Buffer.from(text))).pipe(new LineSkipper(count))) {
      output.push(chunk as Buffer);
    }
    return Buffer.concat(output).toString();
  };

  it('drops whole lines whatever their line breaks, across chunk edges (a CRLF split in two too)', async () => {
    expect(await skip(0, ['a\nb'])).toBe('a\nb');
    expect(await skip(2, ['one\r\ntw', 'o\nthree'])).toBe('three');
    expect(await skip(1, ['one\r', '\ntwo'])).toBe('two');
    expect(await skip(1, ['one\r', 'two'])).toBe('two');
    expect(await skip(2, ['a\rb\r', '\nc'])).toBe('c');
    expect(await skip(5, ['a\nb\n'])).toBe('');
  });
});
