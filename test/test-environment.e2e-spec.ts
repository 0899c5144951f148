import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/** Runs this project's Jest on fixture files alone, and settles with its exit code and output. */
function jestOn(fixtures: string[], options: string[]): Promise<{ code: number | null; output: string }> {
  // A cache of its own: Jest runs files it has timed as fast in band, whatever --maxWorkers says.
  const cacheDirectory = mkdtempSync(join(tmpdir(), 'jest-fixture-cache-'));
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--disable-warning=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        ...options,
        '--cacheDirectory',
        cacheDirectory,
        '--testMatch',
        ...fixtures.map((fixture) => `<rootDir>/test/support/${fixture}`),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (part: Buffer) => (output += part.toString()));
    child.stderr.on('data', (part: Buffer) => (output += part.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  }).finally(() => rmSync(cacheDirectory, { recursive: true, force: true }));
}

// The test environment (test/support/node-environment.mjs) changes how a Jest process ends.
describe('the Jest test environment', () => {
  // It ends the process from an 'exit' listener: with the code Jest chose, or a failed run would pass CI.
  it('leaves a failed run with a failing exit code', async () => {
    const { code, output } = await jestOn(['fails-on-purpose.fixture.ts'], ['--runInBand']);
    expect(output).toContain('fails on purpose');
    expect(output).toContain('1 failed');
    expect(code).toBe(1);
  }, 60_000);

  it('names what a test left open in a worker at its end, instead of "failed to exit gracefully"', async () => {
    const { code, output } = await jestOn(['leaves-a-timer-running.fixture.ts', 'passes.fixture.ts'], ['--maxWorkers=2']);
    expect(output).toContain('2 passed');
    expect(output).toMatch(/Jest worker \d+ was still held at its end by: .*Timeout/);
    expect(output).not.toContain('failed to exit gracefully');
    expect(code).toBe(0);
  }, 60_000);
});
