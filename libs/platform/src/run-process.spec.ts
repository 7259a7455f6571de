import { Logger } from '@nestjs/common';
import { shutDown } from './run-process';

const never = () => new Promise<void>(() => undefined);
const closable = (close: () => Promise<void>) => ({ close: jest.fn(close) });

describe(shutDown.name, () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('closes the app, then the infrastructure, and exits 0 without waiting for the deadline', async () => {
    const order: string[] = [];
    const app = closable(async () => void order.push('app'));
    const infrastructure = closable(async () => void order.push('infrastructure'));
    const exit = jest.fn();

    await shutDown('SIGTERM', app, infrastructure, 25_000, exit);

    expect(order).toEqual(['app', 'infrastructure']);
    expect(exit).toHaveBeenCalledWith(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(errors).not.toHaveBeenCalled();
  });

  it('exits 1 with one line when the app never finishes closing', async () => {
    const infrastructure = closable(async () => undefined);
    const exit = jest.fn();

    const sut = shutDown('SIGTERM', closable(never), infrastructure, 25_000, exit);
    await jest.advanceTimersByTimeAsync(24_999);
    expect(exit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await sut;

    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toMatch(/did not finish within 25000 ms/);
    expect(infrastructure.close).not.toHaveBeenCalled();
  });

  it('counts the infrastructure close against the same deadline', async () => {
    const exit = jest.fn();

    const sut = shutDown(
      'SIGINT',
      closable(async () => undefined),
      closable(never),
      1_000,
      exit,
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await sut;

    expect(exit).toHaveBeenCalledWith(1);
  });

  it('exits 1 with the message when a close fails', async () => {
    const exit = jest.fn();
    const failing = closable(() => Promise.reject(new Error('pool closed twice')));

    await shutDown(
      'SIGTERM',
      failing,
      closable(async () => undefined),
      25_000,
      exit,
    );

    expect(exit).toHaveBeenCalledWith(1);
    expect(errors).toHaveBeenCalledWith('pool closed twice');
    expect(jest.getTimerCount()).toBe(0);
  });
});
