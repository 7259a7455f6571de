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

  it('neutralises a formula that starts like a number, and a leading tab or carriage return', () => {
    const sut = (value: unknown) => toCsv([{ value }]).slice('value\r\n'.length, -2);

    expect(sut('-1+HYPERLINK("http://evil.example","x")')).toBe('"\'-1+HYPERLINK(""http://evil.example"",""x"")"');
    expect(sut('-2-3')).toBe("'-2-3");
    expect(sut('+1')).toBe("'+1");
    expect(sut('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(sut('\t=1+2')).toBe("'\t=1+2");
    expect(sut('\r=1+2')).toBe('"\'\r=1+2"');
    expect(sut('-7')).toBe('-7');
    expect(sut('-0.25')).toBe('-0.25');
    expect(sut(-3)).toBe('-3');
    expect(sut(-1e-7)).toBe('-1e-7');
    expect(sut('1-2')).toBe('1-2');
  });

  it('is empty without rows', () => {
    expect(toCsv([])).toBe('');
  });
});
