import type { KpisDelta, LiveKpis, StockAlert, StockForecast, StockTotals } from '@stockwall/contracts';

/** Builders of wire objects for the dashboard's unit specs: sensible figures, overridden per test. */

export function buildStockTotals(overrides: Partial<StockTotals> = {}): StockTotals {
  return { units: 120, stockValue: '960.00', skusBelowReorderPoint: 1, skusOutOfStock: 0, activeSkus: 4, ...overrides };
}

export function buildLiveKpis(overrides: Partial<LiveKpis> = {}): LiveKpis {
  return {
    window: '15m',
    source: null,
    watermark: '2024-06-01T08:15:00.000Z',
    from: '2024-06-01T08:01:00.000Z',
    to: '2024-06-01T08:15:00.000Z',
    orders: 3,
    revenue: '1123.42',
    units: 11,
    averageOrderValue: '374.47',
    cogs: '472.50',
    grossMargin: '650.92',
    grossMarginRate: 0.579409,
    averageInventoryValue: '2400.00',
    inventoryTurnover: 0.196875,
    stockoutRate: { now: 0, timeWeighted: 0 },
    topSkusByUnits: [],
    topSkusByRevenue: [],
    lateEvents: 0,
    stock: { overall: buildStockTotals(), locations: [{ location: 'main', ...buildStockTotals() }] },
    ...overrides,
  };
}

export function buildKpisDelta(version: number, kpis: Partial<LiveKpis> = {}): KpisDelta {
  return {
    version,
    previousVersion: version - 1,
    watermark: kpis.watermark ?? '2024-06-01T08:15:00.000Z',
    serverTime: '2024-06-01T08:15:01.000Z',
    kpis: buildLiveKpis(kpis),
  };
}

export function buildStockAlert(overrides: Partial<StockAlert> = {}): StockAlert {
  return {
    id: 'events|shard-0|42|low_stock|main|SKU-1',
    kind: 'low_stock',
    sku: 'SKU-1',
    location: 'main',
    available: 2,
    reorderPoint: 3,
    occurredAt: '2024-06-01T08:00:00.000Z',
    stockoutMs: null,
    ...overrides,
  };
}

export function buildStockForecast(overrides: Partial<StockForecast> = {}): StockForecast {
  return {
    sku: 'SKU-1',
    location: 'main',
    name: 'Wall Clock',
    active: true,
    available: 12,
    sellRatePerHour: 0.5,
    lastSaleAt: '2024-06-01T08:00:00.000Z',
    daysOfCover: 1,
    projectedRunOutAt: '2024-06-02T08:00:00.000Z',
    reorderPoint: 5,
    reorderPointSource: 'explicit',
    leadTimeDays: null,
    historyDays: 0,
    ...overrides,
  };
}
