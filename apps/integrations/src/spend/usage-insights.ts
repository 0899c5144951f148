import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { UsageSeriesQuery, type ExecutionLogScope, type SeriesBucket, type SeriesDimension, type SeriesRow } from '@app/execution-log';
import { PricingTable, roundUsd } from '@app/limits';

const BUCKET_MS: Record<SeriesBucket, number> = { hour: 3_600_000, day: 86_400_000 };
/** Enough bars for a month of hours or a year of days; more would not be readable anyway. */
const MAX_BUCKETS = 800;
/** Groups drawn separately; the rest fold into "other". */
const MAX_SERIES = 8;

export interface SeriesRequest {
  scope: ExecutionLogScope;
  from?: Date;
  to?: Date;
  bucket: SeriesBucket;
  groupBy: SeriesDimension;
  userId?: string;
  provider?: string;
}

interface Point {
  calls: number;
  errors: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimatedCostUsd: number;
}

/**
 * Usage over time for the dashboard: the rollups' rows priced per model (the same pricing as
 * /usage), laid out as one dense series per group over the range's buckets.
 */
@Injectable()
export class UsageInsights {
  constructor(
    private readonly rollups: UsageSeriesQuery,
    private readonly pricing: PricingTable,
  ) {}

  async series(request: SeriesRequest) {
    const { from, to } = alignedRange(request.from, request.to, BUCKET_MS[request.bucket], 7 * 86_400_000);
    const step = BUCKET_MS[request.bucket];
    const count = (to.getTime() - from.getTime()) / step;
    if (count > MAX_BUCKETS) {
      throw GatewayError.validation([
        { field: 'from', message: `the range holds ${count} ${request.bucket}s; at most ${MAX_BUCKETS} fit a chart` },
      ]);
    }
    const rows = await this.rollups.series({ ...request, from, to }, request.bucket, request.groupBy);
    const buckets = Array.from({ length: count }, (_, index) => new Date(from.getTime() + index * step).toISOString());
    const byKey = new Map<string | null, Point[]>();
    for (const row of rows) {
      const points = byKey.get(row.key) ?? buckets.map(emptyPoint);
      byKey.set(row.key, points);
      const index = Math.round((row.at.getTime() - from.getTime()) / step);
      if (index >= 0 && index < count) add(points[index], this.priced(row));
    }
    const series = [...byKey.entries()]
      .map(([key, points]) => ({ key, points, totals: points.reduce((sum, point) => add(sum, point), emptyPoint()) }))
      .sort((a, b) => b.totals.calls - a.totals.calls);
    return { from, to, buckets, series: foldSmallest(series, buckets.length) };
  }

  private priced({ calls, failedCalls, cachedCalls, promptTokens, completionTokens, totalTokens, model, billed }: SeriesRow): Point {
    const estimatedCostUsd = (model && this.pricing.costOf(model, billed)) || 0;
    return { calls, errors: failedCalls, cachedCalls, promptTokens, completionTokens, totalTokens, estimatedCostUsd };
  }
}

/** [from, to) widened to whole buckets; defaults to `defaultSpanMs` ending now. */
export function alignedRange(from: Date | undefined, to: Date | undefined, step: number, defaultSpanMs: number): { from: Date; to: Date } {
  const end = to ?? new Date();
  const start = from ?? new Date(end.getTime() - defaultSpanMs);
  if (start >= end) throw GatewayError.validation([{ field: 'from', message: 'must be before to' }]);
  return { from: new Date(Math.floor(start.getTime() / step) * step), to: new Date(Math.ceil(end.getTime() / step) * step) };
}

function emptyPoint(): Point {
  return { calls: 0, errors: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, estimatedCostUsd: 0 };
}

function add(into: Point, point: Point): Point {
  into.calls += point.calls;
  into.errors += point.errors;
  into.cachedCalls += point.cachedCalls;
  into.promptTokens += point.promptTokens;
  into.completionTokens += point.completionTokens;
  into.totalTokens += point.totalTokens;
  into.estimatedCostUsd = roundUsd(into.estimatedCostUsd + point.estimatedCostUsd);
  return into;
}

type Series = { key: string | null; points: Point[]; totals: Point };

function foldSmallest(series: Series[], length: number): Series[] {
  if (series.length <= MAX_SERIES) return series;
  const kept = series.slice(0, MAX_SERIES - 1);
  const other: Series = { key: 'other', points: Array.from({ length }, emptyPoint), totals: emptyPoint() };
  for (const folded of series.slice(MAX_SERIES - 1)) {
    folded.points.forEach((point, index) => add(other.points[index], point));
    add(other.totals, folded.totals);
  }
  return [...kept, other];
}
