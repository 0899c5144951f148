import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('settles as the promise does when it is in time, leaving no timer behind', async () => {
    await expect(withTimeout(Promise.resolve('answer'), 1000)).resolves.toBe('answer');
    await expect(withTimeout(Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects once the time is up when the promise has not settled', async () => {
    const late = withTimeout(new Promise(() => undefined), 1000);
    jest.advanceTimersByTime(1000);
    await expect(late).rejects.toThrow('no answer within 1000 ms');
  });
});
