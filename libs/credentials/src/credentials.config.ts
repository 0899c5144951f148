import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { configSlice } from '@app/common';

export type CredentialSourceName = 'identity' | 'vault' | 'environment';

export interface CredentialsConfig {
  /** Enabled sources, in the order they are asked. */
  sources: CredentialSourceName[];
  identityCacheTtlMs: number;
  /** How long "Identity holds no key for this caller" is remembered; 0 asks every time. */
  identityMissCacheTtlMs: number;
  /** How long vault answers are served from memory; 0 looks up on every call. */
  vaultCacheTtlMs: number;
  identityServiceToken?: string;
  /** A file holding the token, re-read when it changes; wins over identityServiceToken. */
  identityServiceTokenFile?: string;
  /** 32-byte key for the local credential vault, when configured. */
  encryptionKey?: Buffer;
}

class CredentialsVariables {
  /** Where provider keys come from, in order: any of identity, vault, environment. */
  @IsOptional()
  @Matches(/^(identity|vault|environment)(,(identity|vault|environment))*$/, {
    message: 'CREDENTIAL_SOURCES must be a comma-separated list of identity, vault, environment',
  })
  CREDENTIAL_SOURCES?: string = undefined;

  /** 32 bytes as base64 (44 chars) or hex (64 chars). */
  @IsOptional()
  @Matches(/^([A-Fa-f0-9]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'CREDENTIAL_ENCRYPTION_KEY must be 32 bytes encoded as base64 (44 chars) or hex (64 chars)',
  })
  CREDENTIAL_ENCRYPTION_KEY?: string = undefined;

  /** How long keys fetched from Identity stay in memory; 0 disables the cache. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  IDENTITY_CREDENTIAL_CACHE_TTL_MS = 60_000;

  /** How long "Identity holds no key for this caller" is remembered (they use the vault or the environment); 0 disables. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  IDENTITY_CREDENTIAL_MISS_CACHE_TTL_MS = 10_000;

  /** How long vault answers are served from memory (keys changed through another replica take effect within it); 0 disables. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  VAULT_CREDENTIAL_CACHE_TTL_MS = 5_000;

  /** Token the gateway presents to Identity for credential lookups when the caller has none (service keys). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  IDENTITY_SERVICE_TOKEN?: string = undefined;

  /**
   * A file holding that token (the Kubernetes projected-token pattern): re-read when it changes, so
   * a rotated token is used without a restart. Takes precedence over IDENTITY_SERVICE_TOKEN.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  IDENTITY_SERVICE_TOKEN_FILE?: string = undefined;
}

export const credentialsConfig = configSlice('credentials', CredentialsVariables, (env, { problem }): CredentialsConfig => {
  const encryptionKey = env.CREDENTIAL_ENCRYPTION_KEY ? parseEncryptionKey(env.CREDENTIAL_ENCRYPTION_KEY, problem) : undefined;
  if (env.CREDENTIAL_SOURCES?.split(',').includes('vault') && !encryptionKey) {
    problem('CREDENTIAL_SOURCES includes vault, which needs CREDENTIAL_ENCRYPTION_KEY');
  }
  return {
    sources: credentialSources(env.CREDENTIAL_SOURCES, encryptionKey),
    identityCacheTtlMs: env.IDENTITY_CREDENTIAL_CACHE_TTL_MS,
    identityMissCacheTtlMs: env.IDENTITY_CREDENTIAL_MISS_CACHE_TTL_MS,
    vaultCacheTtlMs: env.VAULT_CREDENTIAL_CACHE_TTL_MS,
    identityServiceToken: env.IDENTITY_SERVICE_TOKEN,
    identityServiceTokenFile: env.IDENTITY_SERVICE_TOKEN_FILE,
    encryptionKey,
  };
});

/** Explicit list if given; else Identity, the vault when a key is configured, then the environment. */
function credentialSources(list: string | undefined, encryptionKey: Buffer | undefined): CredentialSourceName[] {
  if (list) return [...new Set(list.split(','))] as CredentialSourceName[];
  return encryptionKey ? ['identity', 'vault', 'environment'] : ['identity', 'environment'];
}

function parseEncryptionKey(value: string, problem: (message: string) => void): Buffer | undefined {
  const key = /^[A-Fa-f0-9]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length === 32) return key;
  problem('CREDENTIAL_ENCRYPTION_KEY must decode to exactly 32 bytes');
  return undefined;
}
