// Run only by test/test-environment.e2e-spec.ts, in a Jest of its own: a second file, so Jest runs
// the fixtures in worker processes.
import { expect, it } from '@jest/globals';

it('passes', () => {
  expect(true).toBe(true);
});
