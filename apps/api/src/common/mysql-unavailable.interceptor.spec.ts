import { ExecutionContext } from '@nestjs/common';
import { DependencyUnavailableError } from '@stockwall/config';
import { firstValueFrom, of, throwError } from 'rxjs';
import { UnavailableError } from './domain-errors';
import { problemDocument } from './problem-details';
import { MysqlUnavailableInterceptor, mysqlUnavailableMessage } from './mysql-unavailable.interceptor';

class HistoryController {}

function httpContext(headers: Record<string, string>): ExecutionContext {
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
  return {
    getType: () => 'http',
    getClass: () => HistoryController,
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ExecutionContext;
}

describe(mysqlUnavailableMessage.name, () => {
  it.each([
    ['HistoryController', 'History is unavailable: MySQL is not answering; retrying'],
    ['DeadLettersController', 'Dead letters are unavailable: MySQL is not answering; retrying'],
    ['AlertsController', 'Alerts are unavailable: MySQL is not answering; retrying'],
    ['Controller', 'This resource is unavailable: MySQL is not answering; retrying'],
  ])('names %s', (controllerName, message) => {
    expect(mysqlUnavailableMessage(controllerName)).toBe(message);
  });
});

describe(MysqlUnavailableInterceptor.name, () => {
  const sut = new MysqlUnavailableInterceptor({ mysql: { retryAfterSeconds: () => 7 } as never });

  it('turns a MySQL outage into a 503 that says when to retry', async () => {
    const headers: Record<string, string> = {};
    const outage = new DependencyUnavailableError('mysql', 'MySQL is not answering');
    const result = firstValueFrom(sut.intercept(httpContext(headers), { handle: () => throwError(() => outage) }));
    const error = (await result.catch((caught: unknown) => caught)) as UnavailableError;
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.retryAfterSeconds).toBe(7);
    expect(problemDocument(error, '/api/v1/kpis/history', 'id-1')).toMatchObject({
      status: 503,
      code: 'dependency_unavailable',
      detail: 'History is unavailable: MySQL is not answering; retrying',
    });
  });

  it('leaves other errors and answers alone', async () => {
    const headers: Record<string, string> = {};
    const bug = new Error('boom');
    const failed = firstValueFrom(sut.intercept(httpContext(headers), { handle: () => throwError(() => bug) }));
    await expect(failed).rejects.toBe(bug);
    await expect(firstValueFrom(sut.intercept(httpContext(headers), { handle: () => of('ok') }))).resolves.toBe('ok');
    expect(headers).toEqual({});
  });
});
