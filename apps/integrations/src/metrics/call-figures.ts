import {
  Counter,
  Histogram,
  type HistogramConfiguration,
  type MetricType,
  type MetricObjectWithValues,
  type MetricValueWithName,
} from 'prom-client';

/** One label set's observations: a count per bucket (not cumulative; the last is +Inf), their sum and count. */
export class BucketCounts {
  readonly perBucket: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly upperBounds: readonly number[]) {
    this.perBucket = new Float64Array(upperBounds.length + 1);
  }

  /** As prom-client counts it: in the first bucket whose bound is ≥ the value. Non-finite values are left out. */
  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    let bucket = 0;
    while (bucket < this.upperBounds.length && value > this.upperBounds[bucket]) bucket++;
    this.perBucket[bucket]++;
    this.sum += value;
    this.count++;
  }

  clear(): void {
    this.perBucket.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/**
 * A prom-client histogram with one label whose observations are gathered in BucketCounts (an array
 * write per observation) and turned into series only when scraped. prom-client's own `observe`
 * builds and looks up a key string from the label object on every call, and the gateway observes
 * several figures on every call (bench/README.md). The exposition is prom-client's (the spec
 * compares the two texts).
 */
export class GatheredHistogram<Label extends string> extends Histogram<Label> {
  private readonly byValue = new Map<string, BucketCounts>();
  private readonly bounds: number[];

  constructor(private readonly configuration: HistogramConfiguration<Label> & { labelNames: readonly [Label]; buckets: number[] }) {
    super(configuration);
    this.bounds = [...configuration.buckets].sort((a, b) => a - b);
  }

  /** The counts of one label value, kept for the caller to observe into on every call. */
  countsFor(labelValue: string): BucketCounts {
    let counts = this.byValue.get(labelValue);
    if (!counts) this.byValue.set(labelValue, (counts = new BucketCounts(this.bounds)));
    return counts;
  }

  override get(): Promise<MetricObjectWithValues<MetricValueWithName<Label | 'le'>>> {
    const { name, help, labelNames, aggregator = 'sum' } = this.configuration;
    const label = labelNames[0];
    const values: MetricValueWithName<Label | 'le'>[] = [];
    for (const [labelValue, counts] of this.byValue) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += counts.perBucket[index];
        values.push(series(`${name}_bucket`, cumulative, { le: bound, [label]: labelValue }, null));
      });
      values.push(series(`${name}_bucket`, counts.count, { le: '+Inf', [label]: labelValue }, null));
      values.push(series(`${name}_sum`, counts.sum, { [label]: labelValue }));
      values.push(series(`${name}_count`, counts.count, { [label]: labelValue }));
    }
    // prom-client's types name the type with an enum its code does not have: at run time it is the text.
    const metric = { name, help, type: 'histogram' as unknown as MetricType, values, aggregator };
    return Promise.resolve(metric as MetricObjectWithValues<MetricValueWithName<Label | 'le'>>);
  }

  /** What the registry reads for the text exposition (prom-client's Histogram has a variant of its own). */
  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<Label | 'le'>>> {
    return this.get();
  }

  /**
   * Every count back to zero, in place: callers keep the BucketCounts they observe into. (prom-client's
   * constructor calls this before this class's fields exist.)
   */
  override reset(): void {
    for (const counts of this.byValue?.values() ?? []) counts.clear();
  }
}

/** One series as prom-client gives it (buckets carry an `exemplar`, null with exemplars off). */
function series<Label extends string>(
  metricName: string,
  value: number,
  labels: Record<string, string | number>,
  exemplar?: null,
): MetricValueWithName<Label> {
  const labelled = { metricName, value, labels: labels as MetricValueWithName<Label>['labels'] };
  return exemplar === undefined ? labelled : Object.assign(labelled, { exemplar });
}

/**
 * Totals by label values (up to three labels), one nested map per label: no key string or label
 * object is made per call. Read when scraped.
 */
export class NestedTotals {
  private readonly root = new Map<string, unknown>();

  constructor(private readonly depth: 1 | 2 | 3) {}

  add(amount: number, first: string, second = '', third = ''): void {
    let level = this.root;
    if (this.depth >= 2) level = inner(level, first);
    if (this.depth === 3) level = inner(level, second);
    const last = this.depth === 1 ? first : this.depth === 2 ? second : third;
    level.set(last, ((level.get(last) as number | undefined) ?? 0) + amount);
  }

  /** Every total with its label values, in the order they were first added. */
  *entries(): Generator<[string[], number]> {
    const walk = function* (level: Map<string, unknown>, prefix: string[], depth: number): Generator<[string[], number]> {
      for (const [value, next] of level) {
        if (depth === 1) yield [[...prefix, value], next as number];
        else yield* walk(next as Map<string, unknown>, [...prefix, value], depth - 1);
      }
    };
    yield* walk(this.root, [], this.depth);
  }
}

function inner(level: Map<string, unknown>, value: string): Map<string, unknown> {
  let next = level.get(value) as Map<string, unknown> | undefined;
  if (!next) level.set(value, (next = new Map<string, unknown>()));
  return next;
}

/** A prom-client counter whose values are NestedTotals, copied in when scraped. */
export function gatheredCounter<Label extends string>(
  configuration: {
    name: string;
    help: string;
    labelNames: readonly Label[];
    registers: ConstructorParameters<typeof Counter>[0]['registers'];
  },
  totals: NestedTotals,
): Counter<Label> {
  return new Counter<Label>({
    ...configuration,
    collect() {
      this.reset();
      for (const [values, total] of totals.entries()) {
        const labels = Object.fromEntries(configuration.labelNames.map((name, index) => [name, values[index]])) as Record<Label, string>;
        this.inc(labels, total);
      }
    },
  });
}
