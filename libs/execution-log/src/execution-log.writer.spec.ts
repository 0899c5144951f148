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

/** A data source whose queries wait until the test settles them, all at once. */
function pausedDatabase() {
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const query = () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  // Its connection is no pg client, so batches go as one statement (the PGlite path).
  const dataSource = {
    query,
    transaction: (work: (manager: { query: typeof query }) => Promise<void>) => work({ query }),
    createQueryRunner: () => ({ connect: () => Promise.resolve({}), query, release: () => Promise.resolve() }),
  } as unknown as DataSource;
  return {
    dataSource,
    pending,
    settle(ok: boolean) {
      for (const query of pending.splice(0)) {
        if (ok) query.resolve();
        else query.reject(new Error('database down'));
      }
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ExecutionLogWriter', () => {
  const config: ExecutionLogConfig = {
    batchSize: 10,
    flushIntervalMs: 60_000,
    maxQueueSize: 25,
    retentionDays: 0,
    rollupRetentionDays: 0,
    rollupMergeIntervalMs: 60_000,
  };
  const partitions = { prepareFor: () => Promise.resolve() } as unknown as ExecutionLogPartitions;

  it('counts the batches being written against the cap, so the records held never exceed it', async () => {
    const database = pausedDatabase();
    const writer = new ExecutionLogWriter(database.dataSource, config, partitions);

    for (let index = 0; index < 25; index++) writer.record(record(`r${index}`));
    const flushing = writer.flush();
    await tick(); // two batches of 10 reach the database, 5 records stay queued
    expect(database.pending).toHaveLength(2);
    for (let index = 25; index < 40; index++) writer.record(record(`r${index}`));
    expect(writer.stats()).toMatchObject({ queued: 25, dropped: 15 });

    database.settle(false); // both batches fail and go back in front of the queue
    await flushing;
    expect(writer.stats()).toMatchObject({ queued: 25, dropped: 15, failedBatches: 2, written: 0 });

    const draining = writer.flush();
    for (let round = 0; round < 10 && writer.stats().written < 25; round++) {
      await tick();
      database.settle(true);
    }
    await draining;
    expect(writer.stats()).toMatchObject({ queued: 0, written: 25, dropped: 15 });
  });

  it('puts failed batches back ahead of newer records, losing none', async () => {
    const database = pausedDatabase();
    const writer = new ExecutionLogWriter(database.dataSource, { ...config, maxQueueSize: 100 }, partitions);
    for (let index = 0; index < 30; index++) writer.record(record(`r${index}`));
    const flushing = writer.flush();
    await tick();
    database.settle(false);
    await flushing;

    const queue = (writer as unknown as { queue: ExecutionRecord[] }).queue.map((queued) => queued.requestId);
    expect(new Set(queue).size).toBe(30);
    expect(queue.slice(20)).toEqual(Array.from({ length: 10 }, (_, index) => `r${20 + index}`));
  });

  /** A writer whose flush of three records is under way, its one batch waiting on the database. */
  async function flushingThree() {
    const database = pausedDatabase();
    const writer = new ExecutionLogWriter(database.dataSource, config, partitions);
    for (let index = 0; index < 3; index++) writer.record(record(`r${index}`));
    const flushing = writer.flush();
    await tick();
    return { database, writer, flushing };
  }

  it('writes what was queued when a flush asked; records that arrive meanwhile wait for the next flush', async () => {
    const { database, writer, flushing } = await flushingThree();
    expect(database.pending).toHaveLength(1); // one batch of three
    writer.record(record('r3'));
    writer.record(record('r4'));

    database.settle(true);
    await tick();
    // Not a second transaction for two records: under steady load that made one per insert's duration.
    expect(database.pending).toHaveLength(0);
    expect(writer.stats()).toMatchObject({ written: 3, queued: 2 });
    await flushing;
  });

  it('writes the records of a flush asked for while a drain runs, in that drain', async () => {
    const { database, writer, flushing: first } = await flushingThree();
    writer.record(record('r3'));
    writer.record(record('r4'));
    const second = writer.flush();

    for (let round = 0; round < 10 && writer.stats().written < 5; round++) {
      database.settle(true);
      await tick();
    }
    await Promise.all([first, second]);
    expect(writer.stats()).toMatchObject({ written: 5, queued: 0 });
  });

  it('counts a failed merge of pending rollups, and the next merge runs it again', async () => {
    const database = pausedDatabase();
    const writer = new ExecutionLogWriter(database.dataSource, config, partitions);

    const first = writer.mergeRollups();
    expect(writer.mergeRollups()).toBe(first); // concurrent calls share the merge under way
    await tick();
    database.settle(false);
    await expect(first).rejects.toThrow('database down');
    expect(writer.stats().failedMerges).toBe(1);

    const second = writer.mergeRollups();
    expect(second).not.toBe(first);
    for (let statement = 0; statement < 4; statement++) {
      await tick();
      database.settle(true);
    }
    await expect(second).resolves.toBeUndefined();
    expect(writer.stats().failedMerges).toBe(1);
  });
});
