import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Conditions, type ExecutionLogScope } from './query/conditions.js';
import { percentileFromBuckets } from './query/latency-percentiles.js';
import { ROLLUP_USAGE_SUMS, usageSums, type UsageSums } from './query/usage-sums.js';
import { LATENCY_BUCKETS_MS, latencyBucketColumn, ROLLUP_TIERS, rollupSource } from './rollups/rollup-statement.js';

export type SeriesBucket = 'hour' | 'day';
export type SeriesDimension = 'provider' | 'model' | 'user' | 'operation' | 'outcome';

export interface RollupFilter {
  scope: ExecutionLogScope;
  /** Whole hours: rollups hold nothing finer. */
  from: Date;
  to: Date;
  userId?: string;
  provider?: string;
}

/** One bucket of one group, per model (so cost can be priced per model). */
export interface SeriesRow extends UsageSums {
  at: Date;
  key: string | null;
  model: string | null;
}

export interface LatencyRow {
  provider: string;
  calls: number;
  meanMs: number;
  maxMs: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Mean time spent in the gateway itself, over the calls whose provider time is known. */
  overheadMeanMs: number | null;
}

const DIMENSION_COLUMN: Record<SeriesDimension, string> = {
  provider: `"provider"`,
  model: `NULLIF("model", '')`,
  user: `"user_id"`,
  operation: `"operation"`,
  outcome: `"outcome"`,
};

/** Usage over time and latency, read from the rollups only: what the dashboard draws. */
@Injectable()
export class UsageSeriesQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Day buckets (whole UTC days: the range is aligned to them) read the daily rollups, hour buckets the hourly ones. */
  async series(filter: RollupFilter, bucket: SeriesBucket, dimension: SeriesDimension): Promise<SeriesRow[]> {
    const tier = bucket === 'day' ? 'daily' : 'hourly';
    const { table, bucket: time } = ROLLUP_TIERS[tier];
    const where = new Conditions(table, filter, filter);
    const rows = await this.dataSource.query<Array<Record<string, string | Date | null>>>(
      `SELECT "${time}" AS at, ${DIMENSION_COLUMN[dimension]} AS key, NULLIF("model", '') AS model,
        ${ROLLUP_USAGE_SUMS}
       FROM ${rollupSource(tier)}${where.sql()} GROUP BY 1, 2, 3 ORDER BY 1`,
      where.parameters,
    );
    return rows.map((row) => ({ at: row.at as Date, key: row.key as string | null, model: row.model as string | null, ...usageSums(row) }));
  }

  /** Per provider: latency percentiles from the rollups' histograms, mean and max, and the gateway's overhead. */
  async latency(filter: RollupFilter): Promise<LatencyRow[]> {
    const where = new Conditions('execution_log_rollups', filter, filter);
    const buckets = LATENCY_BUCKETS_MS.map((bound) => `sum("${latencyBucketColumn(bound)}") AS "le_${bound}"`).join(', ');
    const rows = await this.dataSource.query<Array<Record<string, string>>>(
      `SELECT "provider", sum("calls") AS calls, sum("duration_ms_sum") AS duration_sum, max("duration_ms_max") AS duration_max,
        sum("overhead_ms_sum") AS overhead_sum, sum("overhead_calls") AS overhead_calls, ${buckets}
       FROM ${rollupSource('hourly')}${where.sql()} GROUP BY 1 ORDER BY 1`,
      where.parameters,
    );
    return rows.map((row) => {
      const calls = Number(row.calls);
      const max = Number(row.duration_max);
      const counts = LATENCY_BUCKETS_MS.map((bound) => Number(row[`le_${bound}`]));
      const overflow = calls - counts.reduce((sum, count) => sum + count, 0);
      const percentile = (quantile: number) => round(percentileFromBuckets(LATENCY_BUCKETS_MS, counts, overflow, max, quantile));
      const overheadCalls = Number(row.overhead_calls);
      return {
        provider: row.provider,
        calls,
        meanMs: round(Number(row.duration_sum) / calls) ?? 0,
        maxMs: max,
        p50Ms: percentile(0.5),
        p95Ms: percentile(0.95),
        p99Ms: percentile(0.99),
        overheadMeanMs: overheadCalls > 0 ? round(Number(row.overhead_sum) / overheadCalls) : null,
      };
    });
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
