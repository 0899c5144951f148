// Jest global setup: which database the suites run on. DATABASE_URL when given (CI sets it);
// else the local PostgreSQL when one answers on 127.0.0.1:5432 (developer machines have it, and the
// suites need the local Redis anyway); else in-memory PGlite. TEST_DATABASE=pglite forces PGlite.
import { readFileSync } from 'node:fs';
import pg from 'pg';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

export default async function globalSetup() {
  // The service runs on the release line in .node-version (CI tests on it); an older Node still runs
  // the suites, but tests another runtime than the one deployed, so it is said.
  const line = readFileSync(new URL('../../.node-version', import.meta.url), 'utf8')
    .trim()
    .split('.')[0];
  if (Number(process.versions.node.split('.')[0]) < Number(line)) {
    console.log(
      `\nNode ${process.version} is older than the service's runtime (Node ${line}, .node-version): export PATH="$(bash scripts/ensure-node.sh):$PATH"`,
    );
  }
  if (process.env.DATABASE_URL || process.env.TEST_DATABASE === 'pglite') {
    console.log(`\nTests run on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'in-memory PGlite (TEST_DATABASE=pglite)'}`);
    return;
  }
  const client = new pg.Client({ connectionString: LOCAL_POSTGRES, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.DATABASE_URL = LOCAL_POSTGRES;
    console.log(`\nTests run on the local PostgreSQL (${LOCAL_POSTGRES}); TEST_DATABASE=pglite runs them on PGlite`);
  } catch {
    console.log('\nNo PostgreSQL on 127.0.0.1:5432: tests run on in-memory PGlite');
  } finally {
    await client.end().catch(() => undefined);
  }
}
