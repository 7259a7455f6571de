import { estimateLeadTimes, median } from './lead-time-estimator';

describe(median.name, () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([9])).toBe(9);
    expect(median([23, 9, 16])).toBe(16);
    expect(median([14, 19, 13, 16])).toBe(15);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe(estimateLeadTimes.name, () => {
  it('gives each supplier the median of its orders, with the name on its last row', () => {
    const sut = estimateLeadTimes([
      { supplierId: '105', supplierName: 'ALTAMAR BRANDS LLC', days: 14 },
      { supplierId: '2000', supplierName: 'SOUTHERN WINE & SPIRITS NE', days: 11 },
      { supplierId: '105', supplierName: 'ALTAMAR BRANDS LLC', days: 19 },
      { supplierId: '2000', supplierName: 'SOUTHERN GLAZERS W&S OF NE', days: 30 },
      { supplierId: '2000', supplierName: 'SOUTHERN GLAZERS W&S OF NE', days: 16 },
      { supplierId: '54', supplierName: 'AAPER ALCOHOL & CHEMICAL CO', days: 14 },
    ]);
    expect(sut).toEqual([
      { supplierId: '54', supplierName: 'AAPER ALCOHOL & CHEMICAL CO', days: 14, orders: 1, shortest: 14, longest: 14 },
      { supplierId: '105', supplierName: 'ALTAMAR BRANDS LLC', days: 16.5, orders: 2, shortest: 14, longest: 19 },
      {
        supplierId: '2000',
        supplierName: 'SOUTHERN GLAZERS W&S OF NE',
        days: 16,
        orders: 3,
        shortest: 11,
        longest: 30,
      },
    ]);
  });
});
