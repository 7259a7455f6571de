import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import type { Response } from 'express';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { Public } from '../auth/auth.decorators';

type CheckResult = { status: 'up' } | { status: 'down'; error: string };

@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready when Redis and the Kinesis stream answer: they carry the live path (REST live routes,
   * `/live` and the write path). MySQL only holds history, so with MySQL down the node stays in
   * the load balancer, answers `degraded`, and its MySQL-backed routes answer 503 on their own.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const { redis, dataSource, kinesis, config } = this.infrastructure;
    const [redisCheck, mysqlCheck, kinesisCheck] = await Promise.all([
      check(() => redis.ping()),
      check(() => dataSource.query('SELECT 1')),
      check(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: config.kinesis.streamName }))),
    ]);
    const checks = { redis: redisCheck, mysql: mysqlCheck, kinesis: kinesisCheck };
    const live = redisCheck.status === 'up' && kinesisCheck.status === 'up';
    response.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: !live ? 'unavailable' : mysqlCheck.status === 'up' ? 'ok' : 'degraded', checks };
  }
}

async function check(probe: () => Promise<unknown>, timeoutMs = 2_000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
