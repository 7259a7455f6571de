import { ARMED, AlertState, evaluateAlerts } from './alert-rules';

/** Runs a sequence of available counts through the rules, as successive batches. */
function run(availables: number[], reorderPoint: number | null = 5, active = true) {
  let state: AlertState = { ...ARMED };
  const raised: string[] = [];
  availables.forEach((available, index) => {
    const result = evaluateAlerts(state, { available, reorderPoint, active, at: index * 60_000 });
    state = result.state;
    raised.push(...result.crossings.map((crossing) => `${index}:${crossing.kind}:${crossing.stockoutMs ?? ''}`));
  });
  return raised;
}

describe(evaluateAlerts.name, () => {
  it('raises one low-stock alert while available stays at or below the reorder point', () => {
    expect(run([10, 5, 4, 3, 2])).toEqual(['1:low_stock:']);
  });

  it('re-arms only when available climbs above the reorder point', () => {
    expect(run([10, 5, 5, 6, 5, 6, 7, 4])).toEqual(['1:low_stock:', '4:low_stock:', '7:low_stock:']);
  });

  it('raises out of stock once and back in stock with the stockout duration', () => {
    expect(run([3, 0, -2, 0, 4], null)).toEqual(['1:out_of_stock:', '4:back_in_stock:180000']);
  });

  it('raises low stock and out of stock together when stock falls straight to zero', () => {
    expect(run([10, 0])).toEqual(['1:low_stock:', '1:out_of_stock:']);
  });

  it('stays silent for a discontinued SKU and forgets its state', () => {
    const sut = evaluateAlerts(
      { lowStockRaised: true, outOfStockSince: 5 },
      { available: 0, reorderPoint: 5, active: false, at: 10 },
    );
    expect(sut).toEqual({ state: ARMED, crossings: [] });
  });
});
