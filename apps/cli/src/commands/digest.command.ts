import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import * as nodemailer from 'nodemailer';
import { isTimeZone } from '@stockwall/contracts';
import { loadConfig, StockwallConfig } from '@stockwall/config';
import {
  collectDigest,
  DIGEST_CLAIM_MS,
  DIGEST_KINDS,
  DIGEST_TABLES,
  DigestDelivery,
  DigestKind,
  DigestLedger,
  digestSources,
  periodOfDate,
  renderDigest,
} from '@stockwall/digests';
import { openExistingDatabase } from '@stockwall/persistence';
import { connectRedis } from '@stockwall/platform';
import { CliUsageError } from './cli-error';

export function registerDigestCommand(program: Command): void {
  program
    .command('digest')
    .description('preview (--dry-run) or send the daily or weekly digest of the period holding a date')
    .addOption(new Option('--kind <kind>', 'which digest').choices(DIGEST_KINDS).makeOptionMandatory())
    .requiredOption('--date <date>', 'a date of the period, like 2026-12-03 (the day, or its ISO week)')
    .option('--tz <zone>', 'IANA time zone of the period (default: DIGEST_TIME_ZONE)')
    .option('--dry-run', 'write the e-mail to files and print the HTML path; send nothing', false)
    .option('--out <dir>', 'where --dry-run writes', path.join('dist', 'digests'))
    .action(digestCommand);
}

export interface DigestCommandOptions {
  kind: DigestKind;
  date: string;
  tz?: string;
  dryRun?: boolean;
  out?: string;
}

/**
 * Renders a period's digest from MySQL and Redis. A dry run writes the HTML, the text and the CSV
 * attachments under `out` and returns the HTML path; otherwise it sends through SMTP_URL to
 * DIGEST_EMAIL_TO with the workers' ledger, so a period already sent is not sent again.
 */
export async function runDigest(config: StockwallConfig, options: DigestCommandOptions): Promise<string[]> {
  const timeZone = options.tz ?? config.digests.timeZone;
  if (!isTimeZone(timeZone))
    throw new CliUsageError(`--tz must be an IANA time zone like Europe/London, got "${timeZone}"`);
  let period;
  try {
    period = periodOfDate(options.kind, options.date, timeZone);
  } catch (error) {
    throw new CliUsageError(`--date: ${(error as Error).message}`);
  }
  if (!options.dryRun && (!config.notifications.smtpUrl || config.digests.to.length === 0)) {
    throw new CliUsageError('sending needs SMTP_URL and DIGEST_EMAIL_TO (or use --dry-run)');
  }
  const redis = await connectRedis(config.redis.url);
  const dataSource = await openExistingDatabase(config.database, DIGEST_TABLES).catch(async (error: unknown) => {
    await redis.quit();
    throw error;
  });
  try {
    const sources = digestSources(redis, dataSource, config);
    if (options.dryRun) {
      const rendered = renderDigest(await collectDigest(sources, period));
      const directory = path.resolve(options.out ?? path.join('dist', 'digests'));
      mkdirSync(directory, { recursive: true });
      const base = path.join(directory, `${period.kind}-${period.label}`);
      writeFileSync(`${base}.html`, rendered.html);
      writeFileSync(`${base}.txt`, rendered.text);
      for (const attachment of rendered.attachments) {
        writeFileSync(path.join(directory, attachment.filename), attachment.content);
      }
      return [`${base}.html`];
    }
    const mailer = nodemailer.createTransport(config.notifications.smtpUrl!);
    try {
      const delivery = new DigestDelivery(
        sources,
        new DigestLedger(redis, config.redis.prefix, DIGEST_CLAIM_MS),
        mailer,
        {
          from: config.notifications.emailFrom,
          to: config.digests.to,
          worker: `cli-${process.pid}`,
        },
      );
      const result = await delivery.deliver(period);
      const { record } = result;
      return result.outcome === 'sent'
        ? [`digest: sent the ${period.kind} digest ${period.label} (${timeZone}) to ${record.recipients.join(', ')}`]
        : [
            `digest: the ${period.kind} digest ${period.label} was already sent at ${record.sentAt} by ${record.worker}`,
          ];
    } finally {
      mailer.close();
    }
  } finally {
    await dataSource.destroy();
    await redis.quit();
  }
}

async function digestCommand(options: DigestCommandOptions): Promise<void> {
  for (const line of await runDigest(loadConfig(), options)) console.log(line);
}
