import type { ChatChannel } from '@stockwall/config';
import type { StockAlert } from '@stockwall/contracts';
import { quietDelayMs, routes, slackMessage, smsText, teamsMessage } from './chat-message';

const alert = (kind: StockAlert['kind'], location = 'main'): StockAlert => ({
  id: `a-${kind}`,
  kind,
  sku: 'MUG-1',
  location,
  available: kind === 'out_of_stock' ? 0 : 3,
  reorderPoint: 5,
  occurredAt: '2024-07-01T09:00:00.000Z',
  stockoutMs: null,
});
const channel = (extra: Partial<Omit<ChatChannel, 'format'>> = {}): ChatChannel => ({
  name: 'ops',
  format: 'slack',
  url: 'http://127.0.0.1/hook',
  ...extra,
});

describe(routes.name, () => {
  it('takes only the listed locations and severities', () => {
    expect(routes(channel(), alert('low_stock'))).toBe(true);
    expect(routes(channel({ locations: ['north'] }), alert('low_stock'))).toBe(false);
    expect(routes(channel({ locations: ['north'] }), alert('low_stock', 'north'))).toBe(true);
    expect(routes(channel({ severities: ['critical'] }), alert('low_stock'))).toBe(false);
    expect(routes(channel({ severities: ['critical'] }), alert('out_of_stock'))).toBe(true);
  });
});

describe(quietDelayMs.name, () => {
  const quiet = channel({ quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' } });

  it('waits until quiet hours end, across midnight, on the zone’s clock', () => {
    // 23:30 in London (BST) is 22:30 UTC: 7 h 30 min to 07:00.
    expect(quietDelayMs(quiet, Date.parse('2024-07-01T22:30:00Z'))).toBe(7.5 * 3_600_000);
    expect(quietDelayMs(quiet, Date.parse('2024-07-02T05:59:30Z'))).toBe(30_000);
    expect(quietDelayMs(quiet, Date.parse('2024-07-02T06:00:00Z'))).toBe(0);
    expect(quietDelayMs(channel(), Date.parse('2024-07-01T22:30:00Z'))).toBe(0);
  });
});

describe(slackMessage.name, () => {
  it('formats Slack blocks and a Teams card with the severity', () => {
    expect(slackMessage(alert('out_of_stock'))).toMatchObject({
      text: '[critical] Out of stock: MUG-1 at main',
      blocks: [{ type: 'header' }, { type: 'section', text: { text: expect.stringContaining('Available: 0') } }, {}],
    });
    expect(smsText(alert('out_of_stock'))).toBe('Stockwall critical: Out of stock MUG-1 at main, available 0');
    expect(teamsMessage(alert('low_stock'))).toMatchObject({
      '@type': 'MessageCard',
      themeColor: 'E69F00',
      title: 'Low stock: MUG-1 at main',
      sections: [{ facts: expect.arrayContaining([{ name: 'Reorder point', value: '5' }]) }],
    });
  });
});
