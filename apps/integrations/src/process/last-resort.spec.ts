import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { installLastResortHandlers } from './last-resort.js';

function fakeProcess(): NodeJS.Process {
  return new EventEmitter() as unknown as NodeJS.Process;
}

describe('installLastResortHandlers', () => {
  it('counts and logs an unhandled rejection and an uncaught exception, redacting keys', () => {
    const target = fakeProcess();
    const counted: string[] = [];
    const logged: string[] = [];
    installLastResortHandlers({ count: (kind) => counted.push(kind), log: (line) => logged.push(line) }, target);

    target.emit('unhandledRejection', new Error('boom with sk-abcdefghijklmnop'), Promise.resolve());
    target.emit('uncaughtException', new TypeError('bad'));

    expect(counted).toEqual(['unhandledRejection', 'uncaughtException']);
    expect(logged.join('\n')).toContain('boom with [REDACTED]');
    expect(logged.join('\n')).not.toContain('sk-abcdefghijklmnop');
  });

  it('keeps going when reporting itself fails, and uninstalls', () => {
    const target = fakeProcess();
    const uninstall = installLastResortHandlers(
      {
        count: () => {
          throw new Error('metrics down');
        },
        log: () => undefined,
      },
      target,
    );
    expect(() => target.emit('unhandledRejection', 'x', Promise.resolve())).not.toThrow();
    uninstall();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });
});
