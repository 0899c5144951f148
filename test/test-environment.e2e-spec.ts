import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

/** Runs this project's Jest on the fixture file alone, in band, and settles with its exit code and output. */
function jestOnFixture(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--disable-warning=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        '--runInBand',
        '--testMatch',
        '<rootDir>/test/support/fails-on-purpose.fixture.ts',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (part: Buffer) => (output += part.toString()));
    child.stderr.on('data', (part: Buffer) => (output += part.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

// The test environment (test/support/node-environment.mjs) ends the process from an 'exit'
// listener; it must end it with the code Jest chose, or a failed run would pass CI.
describe('the Jest test environment', () => {
  it('leaves a failed run with a failing exit code', async () => {
    const { code, output } = await jestOnFixture();
    expect(output).toContain('fails on purpose');
    expect(output).toContain('1 failed');
    expect(code).toBe(1);
  }, 60_000);
});
