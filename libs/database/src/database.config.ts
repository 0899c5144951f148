import { IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { configSlice } from '@app/common';

export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  /** `dataDir` null means in-memory. */
  | { kind: 'pglite'; dataDir: string | null };

class DatabaseVariables {
  /** Unset: embedded PGlite under PGLITE_DATA_DIR. `memory`: in-memory PGlite. Else a PostgreSQL URL. */
  @IsOptional()
  @Matches(/^(memory|postgres(ql)?:\/\/.+)$/, {
    message: "DATABASE_URL must be 'memory' or a postgres:// (postgresql://) connection URL",
  })
  DATABASE_URL?: string = undefined;

  @IsString()
  @MinLength(1)
  PGLITE_DATA_DIR = './data/pglite';
}

export const databaseConfig = configSlice('database', DatabaseVariables, (env): DatabaseConfig => {
  if (env.DATABASE_URL === undefined) return { kind: 'pglite', dataDir: env.PGLITE_DATA_DIR };
  if (env.DATABASE_URL === 'memory') return { kind: 'pglite', dataDir: null };
  return { kind: 'postgres', url: env.DATABASE_URL };
});
