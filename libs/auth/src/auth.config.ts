import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { Type } from 'class-transformer';
import { HTTP_URL, configSlice } from '@app/common';

export interface JwtConfig {
  secret?: string;
  publicKey?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export interface AuthConfig {
  mode: 'jwt' | 'introspection';
  jwt: JwtConfig;
  serviceRole: string;
  /** Service name by service key. */
  serviceKeys: ReadonlyMap<string, string>;
  introspectionCacheTtlMs: number;
}

class AuthVariables {
  /** `jwt`: verify bearer JWTs locally. `introspection`: ask the Identity service about each token (cached). */
  @IsIn(['jwt', 'introspection'])
  AUTH_MODE = 'introspection';

  /** HS256 secret (jwt mode). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string = undefined;

  /** PEM public key for RS256/ES256 (jwt mode); `\n` escapes are accepted for one-line env files. */
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)' })
  JWT_PUBLIC_KEY?: string = undefined;

  /** JWKS endpoint for RS256/ES256 keys (jwt mode). */
  @IsOptional()
  @IsUrl(HTTP_URL)
  JWT_JWKS_URL?: string = undefined;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string = undefined;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string = undefined;

  /** Role (JWT `roles` claim) that marks a service caller allowed to act on behalf of a user. */
  @IsString()
  @MinLength(1)
  SERVICE_ROLE = 'service';

  /** Service keys as `name:key` pairs, comma separated, e.g. `runtime:…,assistants:…` (keys ≥ 32 chars). */
  @IsOptional()
  @Matches(/^[a-z0-9_-]+:[^,:\s]{32,}(,[a-z0-9_-]+:[^,:\s]{32,})*$/, {
    message: 'SERVICE_API_KEYS must be comma-separated name:key pairs with keys of at least 32 characters',
  })
  SERVICE_API_KEYS?: string = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  INTROSPECTION_CACHE_TTL_MS = 30_000;
}

export const authConfig = configSlice('auth', AuthVariables, (env, { problem }): AuthConfig => {
  if (env.AUTH_MODE === 'jwt' && !env.JWT_SECRET && !env.JWT_PUBLIC_KEY && !env.JWT_JWKS_URL) {
    problem('AUTH_MODE=jwt needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL');
  }
  return {
    mode: env.AUTH_MODE as AuthConfig['mode'],
    jwt: {
      secret: env.JWT_SECRET,
      publicKey: env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
      jwksUrl: env.JWT_JWKS_URL,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    },
    serviceRole: env.SERVICE_ROLE,
    serviceKeys: parseServiceKeys(env.SERVICE_API_KEYS),
    introspectionCacheTtlMs: env.INTROSPECTION_CACHE_TTL_MS,
  };
});

function parseServiceKeys(value: string | undefined): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  for (const pair of value ? value.split(',') : []) {
    const separator = pair.indexOf(':');
    keys.set(pair.slice(separator + 1), pair.slice(0, separator));
  }
  return keys;
}
