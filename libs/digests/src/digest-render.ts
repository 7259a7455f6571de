import { localFields } from '@stockwall/contracts';
import { toCsv } from '@stockwall/persistence';
import type { DigestAlert, DigestContent, DigestFigure } from './digest-content';
import { localDate } from './digest-period';

/** A digest as an e-mail: subject, HTML with inline styles, its text alternative and two CSV files. */
export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: string; contentType: string }[];
}

export const ALERT_COLUMNS: readonly (keyof DigestAlert)[] = [
  'occurredAt',
  'kind',
  'sku',
  'location',
  'available',
  'reorderPoint',
  'status',
  'acknowledgedAt',
  'alertId',
];

export const REPLENISHMENT_COLUMNS = [
  'supplier',
  'sku',
  'location',
  'name',
  'available',
  'reorderPoint',
  'reorderPointSource',
  'leadTimeDays',
  'sellRatePerDay',
  'projectedRunOutAt',
  'suggestedQuantity',
  'unitCost',
  'orderValue',
] as const;

const ALERT_NAMES: Record<string, string> = {
  low_stock: 'Low stock',
  out_of_stock: 'Out of stock',
  back_in_stock: 'Back in stock',
};

const COLOURS = { up: '#0072B2', down: '#D55E00', same: '#555555', none: '#555555' } as const;
const CELL = 'padding:6px 10px;border-bottom:1px solid #ddd;text-align:left;';
const NUMBER_CELL = 'padding:6px 10px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap;';
const HEAD = 'padding:6px 10px;border-bottom:2px solid #333;text-align:left;font-weight:600;';
const TABLE = 'border-collapse:collapse;margin:8px 0 20px;font-size:14px;';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}

export function renderDigest(content: DigestContent): RenderedDigest {
  const { period } = content;
  const title = `${period.kind === 'daily' ? 'Daily' : 'Weekly'} digest ${period.label}`;
  const span = spanOf(period.start, period.end, period.timeZone);
  const previousSpan = spanOf(period.previous.start, period.previous.end, period.timeZone);
  return {
    subject: `[Stockwall] ${title}`,
    html: html(content, title, span, previousSpan),
    text: text(content, title, span, previousSpan),
    attachments: [
      {
        filename: `alerts-${period.kind}-${period.label}.csv`,
        content: csvOf(ALERT_COLUMNS, content.alerts),
        contentType: 'text/csv; charset=utf-8',
      },
      {
        filename: `replenishment-${period.kind}-${period.label}.csv`,
        content: csvOf(REPLENISHMENT_COLUMNS, content.replenishment.items),
        contentType: 'text/csv; charset=utf-8',
      },
    ],
  };
}

/** CSV with the header line even when there are no rows. */
function csvOf<Row extends object>(columns: readonly string[], rows: readonly Row[]): string {
  if (rows.length === 0) return `${columns.join(',')}\r\n`;
  return toCsv(
    rows.map((row) =>
      Object.fromEntries(columns.map((column) => [column, (row as Record<string, unknown>)[column] ?? null])),
    ),
  );
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** `2024-07-02 13:30`, the wall clock of the zone. */
function localTime(time: number, timeZone: string): string {
  const local = localFields(time, timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`;
}

/** `2024-07-02 00:00 – 2024-07-03 00:00 Europe/London`, the end exclusive. */
function spanOf(start: number, end: number, timeZone: string): string {
  return `${localDate(start, timeZone)} 00:00 – ${localDate(end, timeZone)} 00:00 ${timeZone}`;
}

function alertsSummary(alerts: readonly DigestAlert[]): string {
  if (alerts.length === 0) return 'No alerts were raised.';
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, count]) => `${count} ${(ALERT_NAMES[kind] ?? kind).toLowerCase()}`);
  return `${plural(alerts.length, 'alert')} raised: ${parts.join(', ')}.`;
}

function html(content: DigestContent, title: string, span: string, previousSpan: string): string {
  const { period } = content;
  const figureRows = content.figures.map(figureRow).join('');
  const products =
    content.topProducts.length === 0
      ? '<p style="margin:4px 0 20px;">No sales.</p>'
      : `<table role="presentation" style="${TABLE}"><tr><th style="${HEAD}">SKU</th><th style="${HEAD}">Name</th>` +
        `<th style="${HEAD}text-align:right;">Units</th><th style="${HEAD}text-align:right;">Revenue</th></tr>` +
        content.topProducts
          .map(
            (product) =>
              `<tr><td style="${CELL}">${escapeHtml(product.sku)}</td><td style="${CELL}">${escapeHtml(product.name ?? '')}</td>` +
              `<td style="${NUMBER_CELL}">${escapeHtml(product.units)}</td><td style="${NUMBER_CELL}">${escapeHtml(product.revenue)}</td></tr>`,
          )
          .join('') +
        '</table>';
  const alerts = content.alerts.slice(0, 20);
  const alertList =
    alerts.length === 0
      ? ''
      : `<table role="presentation" style="${TABLE}">` +
        alerts
          .map(
            (alert) =>
              `<tr><td style="${CELL}">${escapeHtml(localTime(Date.parse(alert.occurredAt), period.timeZone))}</td>` +
              `<td style="${CELL}">${escapeHtml(ALERT_NAMES[alert.kind] ?? alert.kind)}</td>` +
              `<td style="${CELL}">${escapeHtml(alert.sku)}</td><td style="${CELL}">${escapeHtml(alert.location)}</td>` +
              `<td style="${NUMBER_CELL}">${escapeHtml(alert.available)} available</td></tr>`,
          )
          .join('') +
        '</table>' +
        (content.alerts.length > alerts.length
          ? `<p style="margin:4px 0;">and ${content.alerts.length - alerts.length} more in the attachment.</p>`
          : '');
  const { replenishment } = content;
  const suppliers = replenishment.suppliers
    .map(
      (group) =>
        `<li>${escapeHtml(group.supplier ?? 'no supplier on record')}: ${escapeHtml(plural(group.skus, 'SKU'))}, ` +
        `${escapeHtml(group.units)} units, ${escapeHtml(group.orderValue)}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;background:#ffffff;">
<h1 style="font-size:20px;margin:0 0 4px;">${escapeHtml(title)}</h1>
<p style="margin:0 0 16px;color:#444;">${escapeHtml(span)}, compared with ${escapeHtml(previousSpan)}</p>
<h2 style="font-size:16px;margin:16px 0 4px;">Key figures</h2>
<table role="presentation" style="${TABLE}">
<tr><th style="${HEAD}">Figure</th><th style="${HEAD}text-align:right;">This period</th><th style="${HEAD}text-align:right;">Previous</th><th style="${HEAD}text-align:right;">Change</th></tr>
${figureRows}</table>
<h2 style="font-size:16px;margin:16px 0 4px;">Top products by revenue</h2>
${products}
<h2 style="font-size:16px;margin:16px 0 4px;">Alerts</h2>
<p style="margin:4px 0;">${escapeHtml(alertsSummary(content.alerts))}</p>
${alertList}
<h2 style="font-size:16px;margin:16px 0 4px;">Replenishment</h2>
<p style="margin:4px 0;">${escapeHtml(replenishmentSummary(content))}</p>
${suppliers ? `<ul style="margin:4px 0 20px;padding-left:20px;">${suppliers}</ul>` : ''}
<p style="margin:16px 0 0;color:#555;font-size:12px;">Times are ${escapeHtml(period.timeZone)}; in the attached CSV files (the alerts of the period and the replenishment list) they are UTC.</p>
</body></html>
`;
}

function figureRow(figure: DigestFigure): string {
  return (
    `<tr><td style="${CELL}">${escapeHtml(figure.label)}</td>` +
    `<td style="${NUMBER_CELL}font-weight:600;">${escapeHtml(figure.current)}</td>` +
    `<td style="${NUMBER_CELL}">${escapeHtml(figure.previous)}</td>` +
    `<td style="${NUMBER_CELL}color:${COLOURS[figure.direction]};">${escapeHtml(figure.change)}</td></tr>\n`
  );
}

function replenishmentSummary(content: DigestContent): string {
  const { items } = content.replenishment;
  if (items.length === 0) return 'Nothing is at or below its reorder point.';
  const units = items.reduce((sum, item) => sum + item.suggestedQuantity, 0);
  return `${plural(items.length, 'SKU')} at or below the reorder point; ${units} units suggested.`;
}

function text(content: DigestContent, title: string, span: string, previousSpan: string): string {
  const lines = [title, `${span}, compared with ${previousSpan}`, '', 'Key figures'];
  for (const figure of content.figures) {
    lines.push(`${figure.label}: ${figure.current} (previous ${figure.previous}, ${figure.change})`);
  }
  lines.push('', 'Top products by revenue');
  if (content.topProducts.length === 0) lines.push('No sales.');
  for (const product of content.topProducts) {
    lines.push(`${product.sku} ${product.name ?? ''}: ${product.units} units, ${product.revenue}`.replace(/ +:/, ':'));
  }
  lines.push('', 'Alerts', alertsSummary(content.alerts));
  for (const alert of content.alerts.slice(0, 20)) {
    lines.push(
      `${localTime(Date.parse(alert.occurredAt), content.period.timeZone)} ${ALERT_NAMES[alert.kind] ?? alert.kind} ${alert.sku} (${alert.location}), ${alert.available} available`,
    );
  }
  lines.push('', 'Replenishment', replenishmentSummary(content));
  for (const group of content.replenishment.suppliers) {
    lines.push(
      `${group.supplier ?? 'no supplier on record'}: ${group.skus} SKUs, ${group.units} units, ${group.orderValue}`,
    );
  }
  lines.push('', 'Attached: the alerts of the period and the replenishment list (CSV).');
  return `${lines.join('\n')}\n`;
}
