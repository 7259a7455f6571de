const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** What a figure shows when there is none (no sales yet, no rate, nothing read). */
export const NO_FIGURE = '—';

/** Grouped digits for totals ("12,480"); table cells show plain integers. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** "4s", "2m 05s", "1h 03m". */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** An ISO time as local "14:03:22", with the date in front when it is not today. */
export function formatEventTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (at.toDateString() === now.toDateString()) return time;
  return `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A coming time, short enough for a narrow column: "14:03" on the reference day, "Mon 14:03" within
 * the next six days, "3 Jun" after that (or before the reference day).
 */
export function formatComingTime(iso: string, reference: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === reference.toDateString()) return time;
  const startOfReferenceDay = new Date(reference.getFullYear(), reference.getMonth(), reference.getDate()).getTime();
  if (at.getTime() > startOfReferenceDay && at.getTime() < startOfReferenceDay + 7 * DAY_MS) {
    return `${at.toLocaleDateString('en-GB', { weekday: 'short' })} ${time}`;
  }
  return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

/** A span of event times: "08:47:12 – 09:02:12", the date once in front when not today. */
export function formatEventSpan(fromIso: string, toIso: string, now = new Date()): string {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return `${fromIso} – ${toIso}`;
  if (from.toDateString() !== to.toDateString())
    return `${formatEventTime(fromIso, now)} – ${formatEventTime(toIso, now)}`;
  const time = (at: Date) => at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const day =
    to.toDateString() === now.toDateString()
      ? ''
      : `${to.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} `;
  return `${day}${time(from)} – ${time(to)}`;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d*))?$/;
const MINUS = '\u2212';
/** Integer digits from which an amount is shown in millions or billions. */
const COMPACT_SCALES = [
  { digits: 10, divisorDigits: 9, suffix: 'B' },
  { digits: 7, divisorDigits: 6, suffix: 'M' },
] as const;

function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A money amount as the API sends it (a decimal string, "1123.4") with grouped digits and two
 * decimals ("1,123.40"), done on the text so no float ever touches it. With `compact`, amounts of
 * a million and more become "12.34M" (cut, never rounded up, so the wall never shows more than
 * was taken). Anything that is not a decimal string is shown as it came.
 */
export function formatMoney(amount: string | null | undefined, options: { compact?: boolean } = {}): string {
  if (amount === null || amount === undefined) return NO_FIGURE;
  const match = DECIMAL.exec(amount.trim());
  if (!match) return amount;
  const [, minus, rawWhole, fraction = ''] = match;
  const whole = rawWhole.replace(/^0+(?=\d)/, '');
  const sign = minus && /[1-9]/.test(whole + fraction) ? MINUS : '';
  if (options.compact) {
    for (const scale of COMPACT_SCALES) {
      if (whole.length < scale.digits) continue;
      const head = whole.slice(0, whole.length - scale.divisorDigits);
      const tail = whole.slice(whole.length - scale.divisorDigits, whole.length - scale.divisorDigits + 2);
      return `${sign}${groupDigits(head)}.${tail}${scale.suffix}`;
    }
  }
  return `${sign}${groupDigits(whole)}.${(fraction + '00').slice(0, 2)}`;
}

/** A ratio (0.2345) as a percentage ("23.5%"). */
export function formatPercent(ratio: number | null | undefined, decimals = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NO_FIGURE;
  const text = (ratio * 100).toFixed(decimals);
  // "-0.0" is zero; a real negative gets the same minus sign as money.
  return `${/^-[0.]+$/.test(text) ? text.slice(1) : text.replace(/^-/, MINUS)}%`;
}

/** A plain ratio with three significant digits and no exponent: 12.3, 1.23, 0.0123. */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_FIGURE;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return formatCount(Math.round(value));
  const decimals = Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(magnitude))));
  return value.toFixed(decimals);
}

/** Days of cover: "7.5 h" under a day, "2.4 d" under ten days, "12 d" after, "999+ d" past that. */
export function formatCover(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return NO_FIGURE;
  if (days <= 0) return '0 h';
  if (days < 1) return `${(days * 24).toFixed(1)} h`;
  if (days < 10) return `${days.toFixed(1)} d`;
  if (days < 1000) return `${Math.floor(days)} d`;
  return '999+ d';
}

/**
 * When a SKU runs out, from now (both event times): "out now", "out in ~40 min", "out in ~3 h",
 * "out in ~2 d"; an empty string when no run-out is projected.
 */
export function formatRunOutIn(projectedRunOutAt: string | null, available: number, asOf: string | null): string {
  if (available <= 0) return 'out now';
  if (projectedRunOutAt === null) return '';
  const at = Date.parse(projectedRunOutAt);
  const from = asOf === null ? Date.now() : Date.parse(asOf);
  if (Number.isNaN(at) || Number.isNaN(from)) return '';
  const minutes = Math.max(0, (at - from) / 60_000);
  if (minutes < 1) return 'out in <1 min';
  if (minutes < 90) return `out in ~${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `out in ~${Math.round(hours)} h`;
  return `out in ~${Math.round(hours / 24)} d`;
}

/** A count too wide for its place: 12,480 stays, 1,234,567 → "1.23M" (cut, never rounded up). */
export function formatCompactCount(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude < 1_000_000) return formatCount(value);
  const [divisor, suffix] = magnitude >= 1_000_000_000 ? [1_000_000_000, 'B'] : [1_000_000, 'M'];
  const cut = Math.trunc((value / divisor) * 100) / 100;
  return `${cut.toFixed(2)}${suffix}`;
}
