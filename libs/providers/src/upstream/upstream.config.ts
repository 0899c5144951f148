import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';

export interface UpstreamConfig {
  maxResponseBytes: number;
  /** Longest a streamed answer may last in all (the provider timeout bounds each silence within it). */
  streamTimeoutMs: number;
}

class UpstreamVariables {
  /** Largest upstream reply body read (a stream counts all its bytes); 128 MiB fits the biggest embedding batches. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  MAX_UPSTREAM_RESPONSE_BYTES = 128 * 1024 * 1024;

  /**
   * Longest a streamed answer may take from first to last byte. A provider's *_TIMEOUT_MS bounds the
   * wait for its response headers and every silence between chunks; this bounds the stream as a whole.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  STREAM_TIMEOUT_MS = 600_000;
}

export const upstreamConfig = configSlice('upstream', UpstreamVariables, (env): UpstreamConfig => ({
  maxResponseBytes: env.MAX_UPSTREAM_RESPONSE_BYTES,
  streamTimeoutMs: env.STREAM_TIMEOUT_MS,
}));
