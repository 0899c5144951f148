import { describe, expect, it } from '@jest/globals';
import type { ExecutionLogConfig } from './execution-log.config.js';
import type { DataSource } from 'typeorm';
import { ExecutionLogWriter } from './execution-log.writer.js';
import type { ExecutionLogPartitions } from './partitions/execution-log-partitions.js';
import type { ExecutionRecord } from './execution-record.js';

function record(requestId: string): ExecutionRecord {
  return {
    requestId,
    userId: 'user-1',
    orgId: null,
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    durationMs: 1,
    promptTokens: 1,
    completionTokens: 1,
    totalTokens: 2,
    success: true,
    errorCode: null,
    errorMessage: null,
    credentialSource: null,
    credentialId: null,
    isProxy: false,
    createdAt: new Date(0),
  };
}

describe('ExecutionLogWriter queue bound', () => {
  it('counts the batch being written against the cap, so the records held never exceed it', async () => {
    let release: (() => void) | undefined;
    let fail = true;
    const dataSource = {
      query: () =>
        new Promise<void>((resolve, reject) => {
          release = () => (fail ? reject(new Error('database down')) : resolve());
        }),
    } as unknown as DataSource;
    const config: ExecutionLogConfig = {
      batchSize: 10,
      flushIntervalMs: 60_000,
      maxQueueSize: 25,
      retentionDays: 0,
      rollupRetentionDays: 0,
    };
    const partitions = { prepareFor: () => Promise.resolve() } as unknown as ExecutionLogPartitions;
    const writer = new ExecutionLogWriter(dataSource, config, partitions);

    for (let index = 0; index < 25; index++) writer.record(record(`r${index}`));
    const flushing = writer.flush(); // one batch of 10 in flight, 15 still queued
    for (let index = 25; index < 40; index++) writer.record(record(`r${index}`));
    expect(writer.stats()).toMatchObject({ queued: 25, dropped: 15 });

    await new Promise((resolve) => setImmediate(resolve)); // the batch reaches the database
    release!(); // the batch fails and goes back in front of the queue
    await flushing;
    expect(writer.stats()).toMatchObject({ queued: 25, dropped: 15, failedBatches: 1 });

    fail = false;
    const draining = writer.flush();
    for (let batch = 0; batch < 3; batch++) {
      await new Promise((resolve) => setImmediate(resolve));
      release!();
    }
    await draining;
    expect(writer.stats()).toMatchObject({ queued: 0, written: 25, dropped: 15 });
  });
});
