import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Algorithm } from 'jsonwebtoken';
import { ExtractJwt, Strategy, type SecretOrKeyProvider } from 'passport-jwt';
import { authConfig, type AuthConfig } from '../auth.config.js';
import type { VerifiedToken } from '../verified-token.js';
import { allowedAlgorithms, jwtKeyProvider } from './jwt-key-provider.js';

interface JwtClaims {
  sub?: unknown;
  exp?: unknown;
  orgId?: unknown;
  org_id?: unknown;
  organizations?: unknown;
  roles?: unknown;
  type?: unknown;
}

/** passport-jwt: verifies signature, algorithm, expiry (and issuer/audience when configured) locally. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(authConfig.token) auth: AuthConfig) {
    const jwt = auth.jwt;
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types say string | Buffer; jsonwebtoken (underneath) takes KeyObjects too.
      secretOrKeyProvider: jwtKeyProvider(jwt) as unknown as SecretOrKeyProvider,
      algorithms: allowedAlgorithms(jwt) as Algorithm[],
      issuer: jwt.issuer,
      audience: jwt.audience,
      ignoreExpiration: false,
    });
  }

  validate(claims: JwtClaims): VerifiedToken | false {
    if (typeof claims.sub !== 'string' || claims.sub === '') return false;
    return {
      kind: claims.type === 'agent' ? 'agent' : 'user',
      subject: claims.sub,
      organizations: organizationIds(claims),
      roles: Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [],
      organizationRoles: organizationRoles(claims),
      expiresAtMs: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
    };
  }
}

/** `orgId`/`org_id` first, then any `organizations: [{id}]`, without duplicates. */
function organizationIds(claims: JwtClaims): string[] {
  const ids: string[] = [];
  for (const id of [claims.orgId, claims.org_id]) if (typeof id === 'string') ids.push(id);
  if (Array.isArray(claims.organizations)) {
    for (const organization of claims.organizations) {
      const id = (organization as { id?: unknown } | null)?.id;
      if (typeof id === 'string') ids.push(id);
    }
  }
  return [...new Set(ids)];
}

/** `organizations: [{id, role}]`, as Identity's introspection lists them: the role held in each. */
function organizationRoles(claims: JwtClaims): Record<string, string> | undefined {
  if (!Array.isArray(claims.organizations)) return undefined;
  const roles: Record<string, string> = {};
  for (const organization of claims.organizations) {
    const { id, role } = (organization ?? {}) as { id?: unknown; role?: unknown };
    if (typeof id === 'string' && typeof role === 'string') roles[id] = role;
  }
  return roles;
}
