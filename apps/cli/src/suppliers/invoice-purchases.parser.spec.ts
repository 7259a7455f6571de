import { parseDayMonthYear, parseInvoicePurchases } from './invoice-purchases.parser';

const HEADER = 'VendorNumber,VendorName,InvoiceDate,PONumber,PODate,PayDate,Quantity,Dollars,Freight,Approval';

describe(parseInvoicePurchases.name, () => {
  it('reads CRLF rows with padded and quoted vendor names, one lead time per purchase order', () => {
    const sut = parseInvoicePurchases(
      [
        HEADER,
        '105,ALTAMAR BRANDS LLC         ,04-01-2016,8124,21-12-2015,16-02-2016,6,214.26,3.47,None',
        '3950,"HOOD RIVER DISTILLERS, Inc.",08-01-2016,8195,25-12-2015,07-02-2016,6,129.48,3.44,None',
        '480,BACARDI USA INC            ,01-03-2016,8106,29-02-2016,05-04-2016,10100,137483.78,2935.2,Frank Delahunt',
        '',
      ].join('\r\n'),
    );
    expect(sut).toEqual({
      rows: 3,
      rejected: [],
      samples: [
        { supplierId: '105', supplierName: 'ALTAMAR BRANDS LLC', days: 14 },
        { supplierId: '3950', supplierName: 'HOOD RIVER DISTILLERS, Inc.', days: 14 },
        // 2016 is a leap year: 29 February to 1 March is one day.
        { supplierId: '480', supplierName: 'BACARDI USA INC', days: 1 },
      ],
    });
  });

  it('refuses rows with a missing vendor, a bad date, an invoice before its order or missing fields', () => {
    const sut = parseInvoicePurchases(
      [
        HEADER,
        ' ,NOBODY,04-01-2016,1,21-12-2015,16-02-2016,6,1,1,None',
        '105,ALTAMAR,31-02-2016,2,21-12-2015,16-02-2016,6,1,1,None',
        '105,ALTAMAR,04-01-2016,3,2015-12-21,16-02-2016,6,1,1,None',
        '105,ALTAMAR,04-01-2016,4,05-01-2016,16-02-2016,6,1,1,None',
        '105,ALTAMAR,04-01-2016',
        '105,ALTAMAR,04-01-2016,5,04-01-2016,16-02-2016,6,1,1,None',
      ].join('\n'),
    );
    expect(sut.rows).toBe(6);
    expect(sut.rejected).toEqual([
      { line: 2, reason: 'no VendorNumber' },
      { line: 3, reason: 'InvoiceDate is not a DD-MM-YYYY date' },
      { line: 4, reason: 'PODate is not a DD-MM-YYYY date' },
      { line: 5, reason: 'InvoiceDate is before PODate' },
      { line: 6, reason: '3 fields, the header has 10' },
    ]);
    expect(sut.samples).toEqual([{ supplierId: '105', supplierName: 'ALTAMAR', days: 0 }]);
  });

  it('names a missing column', () => {
    expect(() => parseInvoicePurchases('VendorNumber,VendorName,InvoiceDate\r\n1,A,01-01-2016\r\n')).toThrow(
      'the header has no "PONumber" column',
    );
  });
});

describe(parseDayMonthYear.name, () => {
  it('reads DD-MM-YYYY as UTC midnight and refuses impossible dates', () => {
    expect(parseDayMonthYear('21-12-2015')).toBe(Date.UTC(2015, 11, 21));
    expect(parseDayMonthYear(' 1/3/2016 ')).toBe(Date.UTC(2016, 2, 1));
    expect(parseDayMonthYear('29-02-2015')).toBeNull();
    expect(parseDayMonthYear('12-13-2016')).toBeNull();
    expect(parseDayMonthYear('2016-01-04')).toBeNull();
    expect(parseDayMonthYear(undefined)).toBeNull();
  });
});
