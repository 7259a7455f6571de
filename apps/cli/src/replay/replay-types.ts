import type { WireEvent } from '@stockwall/contracts';
import type { DeadLetterReason } from '@stockwall/ingest';

/** A source row that becomes no event, and why (counted in the replay summary). */
export type RejectReason =
  | 'header'
  | 'bad_date'
  | 'bad_number'
  | 'bad_layout'
  | 'non_product_code'
  | 'bad_debt_adjustment'
  | 'empty_basket'
  | 'bad_basket_item'
  | 'total_mismatch'
  /** CSV records the parser could not read (a quote never closed): listed with their lines. */
  | 'unreadable'
  /** events-jsonl lines: the reason the workers would dead-letter them for. */
  | DeadLetterReason;

export interface ReplayOptions {
  /** Units each SKU starts with when first seen (the data sets hold no stock levels). */
  openingStock: number;
  /** Reorder point given to each SKU when first seen (null: none). */
  reorderPoint: number | null;
  /** Unit cost as a share of the first seen unit price, in percent (the stated COGS cost model). */
  costPercent: number;
}

export const DEFAULT_REPLAY_OPTIONS: ReplayOptions = { openingStock: 100, reorderPoint: 10, costPercent: 60 };

/** Turns one source's rows into wire events, keeping whatever state the source format needs. */
export interface RowConverter {
  /**
   * Events for this row (possibly none yet: rows may be grouped), or the reason it is rejected.
   * `origin.file` tells the replay's files apart (identical rows count per file); ids never contain it.
   */
  convert(fields: string[], origin: { file: string; line: number }): WireEvent[] | RejectReason;
  /** Events still held when the input ends. */
  flush(): WireEvent[];
  /**
   * A SKU the live state already holds at this location (from an earlier replay or any other
   * source): it is not added again, since a product_added would reset its on-hand.
   */
  markDefined?(sku: string, location: string): void;
}

/** A SKU at a location, as the live state's SKU index holds it. */
export interface KnownProduct {
  sku: string;
  location: string;
}

/** Unit cost in cents under the cost model: a share of the price, rounded half up. */
export function modelCostCents(priceCents: number, costPercent: number): number {
  return Math.floor((priceCents * costPercent + 50) / 100);
}

export function centsText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}
