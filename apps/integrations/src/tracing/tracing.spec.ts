import { afterEach, describe, expect, it } from '@jest/globals';
import type { TraceSampler } from '@app/config';
import { Tracing } from './tracing.js';

const open: Tracing[] = [];
function tracing(sampler: TraceSampler, samplerArg: number, random: number): Tracing {
  const created = new Tracing({ endpoint: 'http://127.0.0.1:1', sampler, samplerArg, serviceName: 'test' }, () => random);
  open.push(created);
  return created;
}

const call = { provider: 'openai', operation: 'chat.completions', requestId: 'r1' };
const SAMPLED_PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const UNSAMPLED_PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';

describe('Tracing sampling', () => {
  afterEach(async () => {
    await Promise.all(open.splice(0).map((created) => created.onApplicationShutdown()));
  });

  it('builds no span at all for a root call the ratio drops, and a recording one for a call it keeps', () => {
    expect(tracing('parentbased_traceidratio', 0.01, 0.5).startCall(call)).toBeUndefined();
    const kept = tracing('parentbased_traceidratio', 0.01, 0.001).startCall(call);
    expect(kept?.span.isRecording()).toBe(true);
    expect(kept?.traceparent).toMatch(/-01$/);
  });

  it('follows the caller’s sampled flag under the parent-based samplers', () => {
    expect(
      tracing('parentbased_traceidratio', 0, 0.5)
        .startCall({ ...call, traceparent: SAMPLED_PARENT })
        ?.span.isRecording(),
    ).toBe(true);
    expect(
      tracing('parentbased_always_off', 1, 0)
        .startCall({ ...call, traceparent: UNSAMPLED_PARENT })
        ?.span.isRecording(),
    ).toBe(false);
    expect(tracing('parentbased_always_off', 1, 0).startCall(call)).toBeUndefined();
  });

  it('always_on traces every call; always_off none; traceidratio ignores the parent', () => {
    expect(tracing('always_on', 1, 0.99).startCall(call)?.span.isRecording()).toBe(true);
    expect(tracing('always_off', 1, 0).startCall({ ...call, traceparent: SAMPLED_PARENT })).toBeUndefined();
    expect(tracing('traceidratio', 0.5, 0.9).startCall({ ...call, traceparent: SAMPLED_PARENT })).toBeUndefined();
  });
});
