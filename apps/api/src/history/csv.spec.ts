import { toCsv } from './csv';

describe(toCsv.name, () => {
  it('writes a header and quotes cells with commas, quotes and line breaks', () => {
    const sut = toCsv([
      { sku: 'A,1', name: 'say "hi"', units: 3, note: null },
      { sku: 'B', name: 'two\nlines', units: -1, extra: true },
    ]);
    expect(sut).toBe('sku,name,units,note,extra\r\n"A,1","say ""hi""",3,,\r\nB,"two\nlines",-1,,true\r\n');
  });

  it('neutralises spreadsheet formulas but keeps negative numbers', () => {
    expect(toCsv([{ value: '=SUM(A1)' }, { value: '-2.50' }])).toBe("value\r\n'=SUM(A1)\r\n-2.50\r\n");
  });

  it('is empty without rows', () => {
    expect(toCsv([])).toBe('');
  });
});
