import { describe, expect, it } from '@jest/globals';
import { embeddedDatabaseWarning } from './embedded-database-warning.js';

describe('embeddedDatabaseWarning', () => {
  it('warns about the in-memory database, with the bound retention puts on it', () => {
    expect(embeddedDatabaseWarning({ kind: 'pglite', dataDir: null }, 90)).toContain('until EXECUTION_LOG_RETENTION_DAYS (90)');
    expect(embeddedDatabaseWarning({ kind: 'pglite', dataDir: null }, 0)).toContain('without bound');
  });

  it('says nothing about PostgreSQL or the embedded database on disk', () => {
    expect(embeddedDatabaseWarning({ kind: 'postgres', url: 'postgres://db/integrations' }, 90)).toBeNull();
    expect(embeddedDatabaseWarning({ kind: 'pglite', dataDir: './data/pglite' }, 90)).toBeNull();
  });
});
