import { parseCsv } from './csv-records';

describe(parseCsv.name, () => {
  it('handles quotes, doubled quotes, commas inside quotes and CRLF, with the starting line of each record', () => {
    const sut = parseCsv('a,"b, c","say ""hi"""\r\n\r\nd,"multi\nline",£5\n');
    expect(sut).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 3, fields: ['d', 'multi\nline', '£5'] },
    ]);
  });
});
