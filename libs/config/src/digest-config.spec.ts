import { dailyPattern, weeklyPattern } from './digest-config';
import { ConfigError, loadConfig } from './stockwall-config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('digest configuration', () => {
  const mail = { SMTP_URL: 'smtp://mail:25', DIGEST_EMAIL_TO: 'managers@example.com, owner@example.com' };

  it('is off without recipients', () => {
    expect(loadConfig({}).digests).toEqual({ to: [], timeZone: 'UTC', daily: null, weekly: null });
  });

  it('sends both digests at 07:00 (weekly on Mondays) in UTC by default, through the alerts SMTP server', () => {
    expect(loadConfig(mail).digests).toEqual({
      to: ['managers@example.com', 'owner@example.com'],
      timeZone: 'UTC',
      daily: { pattern: '0 7 * * *' },
      weekly: { pattern: '0 7 * * 1' },
    });
  });

  it('reads the zone, the times, the switches and cron patterns', () => {
    expect(
      loadConfig({
        ...mail,
        DIGEST_TIME_ZONE: 'Europe/London',
        DIGEST_DAILY_AT: '06:30',
        DIGEST_WEEKLY_AT: 'Fri 17:05',
      }).digests,
    ).toMatchObject({ timeZone: 'Europe/London', daily: { pattern: '30 6 * * *' }, weekly: { pattern: '5 17 * * 5' } });
    expect(loadConfig({ ...mail, DIGEST_WEEKLY: 'false' }).digests.weekly).toBeNull();
    expect(loadConfig({ ...mail, DIGEST_DAILY_CRON: '*/5 * * * * *' }).digests.daily).toEqual({
      pattern: '*/5 * * * * *',
    });
  });

  it('names each bad digest variable', () => {
    expect(
      problemsOf({
        ...mail,
        DIGEST_TIME_ZONE: 'Mars/Olympus',
        DIGEST_DAILY_AT: '7am',
        DIGEST_WEEKLY_AT: 'someday 07:00',
        DIGEST_DAILY: 'yes',
        DIGEST_WEEKLY_CRON: 'every hour',
      }),
    ).toEqual([
      'DIGEST_TIME_ZONE: must be an IANA time zone like Europe/London',
      'DIGEST_DAILY: must be true or false',
      'DIGEST_DAILY_AT: must be a time of day like 07:00',
      'DIGEST_WEEKLY_AT: must be a weekday and a time like "mon 07:00"',
      'DIGEST_WEEKLY_CRON: must be a cron pattern of 5 or 6 fields',
    ]);
  });

  it('needs SMTP_URL for digests, and lets SMTP_URL serve digests alone', () => {
    expect(problemsOf({ DIGEST_EMAIL_TO: 'managers@example.com' })).toEqual([
      'SMTP_URL: must be set when DIGEST_EMAIL_TO is (the digests are sent through it)',
    ]);
    expect(loadConfig(mail).notifications.emailTo).toEqual([]);
  });

  it('turns clock times into cron patterns', () => {
    expect(dailyPattern('00:00')).toBe('0 0 * * *');
    expect(weeklyPattern('sun 23:59')).toBe('59 23 * * 0');
  });
});
