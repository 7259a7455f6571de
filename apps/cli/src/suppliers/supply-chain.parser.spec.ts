import { parseSupplyChain } from './supply-chain.parser';

// The real file's columns, shortened rows: `Lead times` (to the customer) differs from `Lead time` (supplier).
const HEADER = 'Product type,SKU,Lead times,Supplier name,Location,Lead time,Production volumes';

describe(parseSupplyChain.name, () => {
  it("takes each row's supplier and its supplier lead time, not the customer lead time", () => {
    const sut = parseSupplyChain(
      [HEADER, 'haircare,SKU0,7,Supplier 3,Mumbai,29,215', 'skincare,SKU1,30,Supplier 3,Mumbai,23,517', ''].join(
        '\r\n',
      ),
    );
    expect(sut).toEqual({
      rows: 2,
      rejected: [],
      samples: [
        { supplierId: 'Supplier 3', supplierName: 'Supplier 3', days: 29 },
        { supplierId: 'Supplier 3', supplierName: 'Supplier 3', days: 23 },
      ],
    });
  });

  it('refuses rows without a supplier or with a lead time that is not a positive whole number', () => {
    const sut = parseSupplyChain(
      [
        HEADER,
        'haircare,SKU2,7,,Mumbai,29,215',
        'haircare,SKU3,7,Supplier 1,Mumbai,0,215',
        'haircare,SKU4,7,Supplier 1,Mumbai,2.5,215',
        'haircare,SKU5,7,Supplier 1,Mumbai,8,215',
      ].join('\n'),
    );
    expect(sut.rejected).toEqual([
      { line: 2, reason: 'no Supplier name' },
      { line: 3, reason: 'Lead time "0" is not a positive whole number of days' },
      { line: 4, reason: 'Lead time "2.5" is not a positive whole number of days' },
    ]);
    expect(sut.samples).toEqual([{ supplierId: 'Supplier 1', supplierName: 'Supplier 1', days: 8 }]);
  });
});
