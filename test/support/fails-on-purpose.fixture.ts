// Run only by test/test-environment.e2e-spec.ts, in a Jest of its own: a test file whose one test fails.
import { expect, it } from '@jest/globals';

it('fails on purpose', () => {
  expect('this run').toBe('a failure that Jest reports');
});
