import { detectLeadTimeFormat, readLeadTimes } from './lead-time-sources';

const INVOICES = [
  'VendorNumber,VendorName,InvoiceDate,PONumber,PODate,PayDate,Quantity,Dollars,Freight,Approval',
  '105,ALTAMAR BRANDS LLC         ,04-01-2016,8124,21-12-2015,16-02-2016,6,214.26,3.47,None',
  '105,ALTAMAR BRANDS LLC         ,24-01-2016,8125,04-01-2016,16-02-2016,6,214.26,3.47,None',
  '7,SAME DAY LTD,04-01-2016,8126,04-01-2016,16-02-2016,6,1,1,None',
  '8,SLOW BOAT LTD,04-01-2017,8127,01-01-2016,16-02-2017,6,1,1,None',
].join('\r\n');
const SUPPLY_CHAIN = ['SKU,Lead times,Supplier name,Lead time', 'SKU0,7,Supplier 3,29', 'SKU1,3,Supplier 3,20'].join(
  '\r\n',
);

describe(readLeadTimes.name, () => {
  it('detects the format from the header and estimates one median lead time per supplier', () => {
    expect(detectLeadTimeFormat(`\uFEFF${INVOICES}`)).toBe('invoice-purchases');
    expect(detectLeadTimeFormat(SUPPLY_CHAIN)).toBe('supply-chain');
    expect(detectLeadTimeFormat('a,b,c\r\n1,2,3')).toBeNull();

    const sut = readLeadTimes(SUPPLY_CHAIN);
    expect(sut).toMatchObject({ format: 'supply-chain', rows: 2, rejected: [], outOfBounds: [] });
    expect(sut.leadTimes.map(({ supplierId, days }) => ({ supplierId, days }))).toEqual([
      { supplierId: 'Supplier 3', days: 24.5 },
    ]);
  });

  it('keeps medians of 0 or beyond a year out of the lead times to load', () => {
    const sut = readLeadTimes(INVOICES);
    expect(sut.leadTimes.map(({ supplierId, days }) => ({ supplierId, days }))).toEqual([
      { supplierId: '105', days: 17 },
    ]);
    expect(sut.outOfBounds.map(({ supplierId, days }) => ({ supplierId, days }))).toEqual([
      { supplierId: '7', days: 0 },
      { supplierId: '8', days: 369 },
    ]);
  });

  it('refuses a file in neither format, and a file that lacks the chosen format’s columns', () => {
    expect(() => readLeadTimes('a,b\r\n1,2')).toThrow(/fits none of the formats/);
    expect(() => readLeadTimes(SUPPLY_CHAIN, 'invoice-purchases')).toThrow('the header has no "VendorNumber" column');
  });
});
