const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

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
