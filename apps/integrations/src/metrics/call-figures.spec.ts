import { describe, expect, it } from '@jest/globals';
import { Counter, Histogram, Registry } from 'prom-client';
import { GatheredHistogram, NestedTotals, gatheredCounter } from './call-figures.js';

const BUCKETS = [0.0001, 0.0005, 0.001, 0.01, 0.1];
// On bounds, between them, above the last, zero, and one value prom-client would refuse (left out).
const OBSERVATIONS: Array<[string, number]> = [
  ['openai', 0.0001],
  ['openai', 0.0003],
  ['openai', 0.02],
  ['anthropic', 0],
  ['openai', 5],
  ['anthropic', 0.001],
  ['anthropic', 0.1],
];

describe('GatheredHistogram', () => {
  it("exposes what prom-client's Histogram exposes for the same observations (text and JSON)", async () => {
    const native = new Registry();
    const gathered = new Registry();
    const configuration = {
      name: 'gateway_overhead_seconds',
      help: 'Time the gateway adds',
      labelNames: ['provider'] as const,
      buckets: BUCKETS,
    };
    const histogram = new Histogram({ ...configuration, labelNames: ['provider'], registers: [native] });
    const ours = new GatheredHistogram({ ...configuration, registers: [gathered] });

    for (const [provider, value] of OBSERVATIONS) {
      histogram.observe({ provider }, value);
      ours.countsFor(provider).observe(value);
    }

    expect(await gathered.metrics()).toBe(await native.metrics());
    expect(await gathered.getMetricsAsJSON()).toEqual(await native.getMetricsAsJSON());
  });

  it('leaves out values that are not finite, and counts from zero again when reset', async () => {
    const registry = new Registry();
    const ours = new GatheredHistogram({
      name: 'h',
      help: 'h',
      labelNames: ['provider'] as const,
      buckets: BUCKETS,
      registers: [registry],
    });
    const counts = ours.countsFor('openai');

    counts.observe(Number.NaN);
    counts.observe(Number.POSITIVE_INFINITY);
    counts.observe(0.002);
    expect(counts.count).toBe(1);
    expect(await registry.metrics()).toContain('h_count{provider="openai"} 1');

    ours.reset();
    counts.observe(0.2);
    const text = await registry.metrics();
    expect(text).toContain('h_count{provider="openai"} 1');
    expect(text).toContain('h_sum{provider="openai"} 0.2');
    expect(text).toContain('h_bucket{le="0.1",provider="openai"} 0');
  });
});

describe('gatheredCounter over NestedTotals', () => {
  it("exposes what prom-client's Counter exposes for the same increments", async () => {
    const native = new Registry();
    const gathered = new Registry();
    const configuration = {
      name: 'gateway_requests_total',
      help: 'Provider calls',
      labelNames: ['provider', 'operation', 'outcome'] as const,
    };
    const counter = new Counter({ ...configuration, labelNames: ['provider', 'operation', 'outcome'], registers: [native] });
    const totals = new NestedTotals(3);
    gatheredCounter({ ...configuration, registers: [gathered] }, totals);
    const calls: Array<[string, string, string]> = [
      ['openai', 'chat.completions', 'success'],
      ['openai', 'chat.completions', 'PROVIDER_TIMEOUT'],
      ['anthropic', 'messages', 'success'],
      ['openai', 'embeddings', 'success'],
      ['openai', 'chat.completions', 'success'],
    ];

    for (const [provider, operation, outcome] of calls) {
      counter.inc({ provider, operation, outcome });
      totals.add(1, provider, operation, outcome);
    }

    // The same series (grouped by provider here, so in another order: Prometheus reads them by label).
    const lines = async (registry: Registry) => (await registry.metrics()).split('\n').sort();
    expect(await lines(gathered)).toEqual(await lines(native));
    // Scraping twice reports the same totals (copied in afresh, not added again).
    expect(await lines(gathered)).toEqual(await lines(native));
  });

  it('keeps totals at one and two labels', () => {
    const byProvider = new NestedTotals(1);
    const byKind = new NestedTotals(2);

    byProvider.add(0.5, 'openai');
    byProvider.add(0.25, 'openai');
    byKind.add(19, 'openai', 'prompt');
    byKind.add(10, 'openai', 'completion');
    byKind.add(1, 'openai', 'prompt');

    expect([...byProvider.entries()]).toEqual([[['openai'], 0.75]]);
    expect([...byKind.entries()]).toEqual([
      [['openai', 'prompt'], 20],
      [['openai', 'completion'], 10],
    ]);
  });
});
