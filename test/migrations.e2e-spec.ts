import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const DATABASE_URL = process.env.DATABASE_URL;
// Several processes on one database is a PostgreSQL matter; PGlite is one process.
const describeWithPostgres = DATABASE_URL?.startsWith('postgres') ? describe : describe.skip;

async function onServerDatabase<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describeWithPostgres('migrations at boot', () => {
  it('two replicas booting together on a fresh database both come up, each migration applied once', async () => {
    const name = uniqueId('migrations')
      .replace(/[^a-z0-9_]/gi, '_')
      .toLowerCase();
    await onServerDatabase((client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    const apps: TestApp[] = [];
    try {
      const booted = await Promise.allSettled([
        startTestApp({ DATABASE_URL: url.toString() }),
        startTestApp({ DATABASE_URL: url.toString() }),
      ]);
      for (const result of booted) if (result.status === 'fulfilled') apps.push(result.value);

      expect(booted.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      for (const app of apps) await request(app.server).get('/health/ready').expect(200);
      const rows = await apps[0].dataSource.query<Array<{ name: string; count: number }>>(
        'SELECT name, count(*)::int AS count FROM migrations GROUP BY name',
      );
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.every((row) => row.count === 1)).toBe(true);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await onServerDatabase((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});
