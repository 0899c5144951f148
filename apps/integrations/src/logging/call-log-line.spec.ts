import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { CallLogLine } from './call-log-line.js';
import type { CallLogEntry } from './call-logger.js';

/** A logger set up as the service's (base, timestamp function, child bindings), writing to an array. */
function logger(level = 'info') {
  const lines: string[] = [];
  const root = pino(
    { level, base: { service: 'integrations-service' }, timestamp: () => ',"time":"2026-12-01T10:00:00.000Z"' },
    { write: (line: string) => lines.push(line) },
  );
  return { child: root.child({ context: 'execute' }), lines };
}

const entries: CallLogEntry[] = [
  {
    requestId: 'req-1',
    userId: 'user-1',
    orgId: 'org-1',
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    outcome: 'success',
    durationMs: 12.34,
    upstreamLatencyMs: 10,
    totalTokens: 29,
    credentialSource: 'vault',
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    span_id: 'b7ad6b7169203331',
  },
  // Optional fields absent, a null model, text that needs escaping, a number JSON cannot hold.
  {
    requestId: 'req-"2"',
    userId: 'user\\2\n\u0001',
    provider: 'custom',
    operation: 'embeddings',
    model: null,
    outcome: 'PROVIDER_TIMEOUT',
    durationMs: Number.NaN,
  },
  {
    requestId: 'r',
    userId: 'ü-✓-😀',
    provider: 'p',
    operation: 'o',
    model: 'm'.repeat(150),
    outcome: 'success',
    durationMs: 0,
    totalTokens: 0,
  },
];

describe('CallLogLine', () => {
  it.each(entries)('writes the line pino writes for the same entry ($requestId)', (entry) => {
    const viaPino = logger();
    const direct = logger();
    const success = entry.outcome === 'success';
    const message = success ? 'provider call' : 'provider call failed';

    if (success) viaPino.child.info(entry, message);
    else viaPino.child.warn(entry, message);
    new CallLogLine(direct.child).write(entry, !success, message);

    expect(direct.lines).toEqual(viaPino.lines);
    expect(JSON.parse(direct.lines[0])).toMatchObject({ context: 'execute', service: 'integrations-service', msg: message });
  });

  it('writes nothing at a level the logger leaves out', () => {
    const { child, lines } = logger('warn');
    const line = new CallLogLine(child);

    line.write(entries[0], false, 'provider call');
    expect(lines).toEqual([]);
    line.write(entries[1], true, 'provider call failed');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).level).toBe(40);
  });
});
