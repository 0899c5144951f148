import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CLOCK, GatewayError, SecurityEvents, secretsEqual, TtlCache, type Clock } from '@app/common';
import { authConfig, type AuthConfig } from './auth.config.js';
import { CALLER_KEY, Caller, IDENTIFIER } from './caller.js';
import { TokenIntrospector } from './introspection/token-introspector.js';
import { JwtPassportGuard, unauthenticated } from './jwt/jwt-passport.guard.js';
import { IS_PUBLIC_KEY, type PublicOptions } from './public.decorator.js';
import { REQUIRED_ROLES_KEY } from './require-roles.decorator.js';
import type { VerifiedToken } from './verified-token.js';

const VERIFIED_JWT_TTL_MS = 60_000;

interface RouteRules {
  controller: object;
  publicRoute: PublicOptions | undefined;
  roles: string[] | undefined;
}

type HttpRequest = { headers: Record<string, string | string[] | undefined>; user?: unknown } & Record<string, unknown>;

/**
 * The global authentication guard. Every route needs a caller unless marked @Public():
 * - `Authorization: Bearer <JWT>`, verified locally (AUTH_MODE=jwt) or by Identity introspection;
 * - `X-Service-Key: <key>` for platform services (SERVICE_API_KEYS).
 * Service callers (a service key, or a token with SERVICE_ROLE) may act for a user named in
 * `X-On-Behalf-Of`, with `X-Org-Id`; anyone else sending `X-On-Behalf-Of` is refused.
 */
@Injectable()
export class CallerGuard implements CanActivate {
  private readonly auth: AuthConfig;
  private readonly jwtGuard?: JwtPassportGuard;
  private readonly verifiedJwts: TtlCache<string, VerifiedToken>;
  private readonly routeRules = new WeakMap<object, RouteRules>();

  constructor(
    private readonly reflector: Reflector,
    private readonly introspector: TokenIntrospector,
    private readonly events: SecurityEvents,
    @Inject(authConfig.token) auth: AuthConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.verifiedJwts = new TtlCache(10_000, now);
    this.auth = auth;
    if (this.auth.mode === 'jwt') this.jwtGuard = new JwtPassportGuard();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const { publicRoute, roles } = this.rulesOf(context);
    if (publicRoute) {
      if (publicRoute.identifyCaller && (header(request, 'authorization') || header(request, 'x-service-key'))) {
        // Anonymous is fine here: bad credentials simply leave the caller unidentified.
        request[CALLER_KEY] = await this.authenticate(context, request).catch(() => undefined);
      }
      return true;
    }
    let caller: Caller;
    try {
      caller = await this.authenticate(context, request);
    } catch (error) {
      this.noteFailure(error, request);
      throw error;
    }
    request[CALLER_KEY] = caller;
    if (roles && !roles.some((role) => caller.hasRole(role))) {
      this.events.authFailure('missing_role', routeOf(request));
      throw new GatewayError('FORBIDDEN', `This route needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  /** A route's @Public and @RequireRoles: fixed once the app is built, so read once per handler, not per call. */
  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    const known = this.routeRules.get(handler);
    // A handler inherited by two controllers may be ruled by either class's decorators.
    if (known?.controller === controller) return known;
    const targets = [handler, controller];
    const rules = {
      controller,
      publicRoute: this.reflector.getAllAndOverride<PublicOptions | undefined>(IS_PUBLIC_KEY, targets),
      roles: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES_KEY, targets),
    };
    this.routeRules.set(handler, rules);
    return rules;
  }

  /** Every refused caller is counted and (throttled) logged, by reason; never with token material. */
  private noteFailure(error: unknown, request: HttpRequest): void {
    if (!(error instanceof GatewayError)) return;
    const route = routeOf(request);
    if (error.code === 'IDENTITY_UNAVAILABLE') {
      const kind = typeof error.metadata?.reason === 'string' ? error.metadata.reason : 'error';
      this.events.authFailure(`identity_${kind}`, `${error.message} (${route})`);
    } else if (error.code === 'UNAUTHENTICATED') {
      const reason =
        header(request, 'x-service-key') !== undefined ? 'unknown_service_key' : bearerToken(request) ? 'invalid_token' : 'missing_token';
      this.events.authFailure(reason, route);
    } else if (error.code === 'FORBIDDEN') {
      this.events.authFailure('forbidden_on_behalf_of', route);
    }
  }

  private authenticate(context: ExecutionContext, request: HttpRequest): Promise<Caller> {
    const serviceKey = header(request, 'x-service-key');
    return serviceKey !== undefined
      ? Promise.resolve().then(() => this.serviceKeyCaller(serviceKey, request))
      : this.tokenCaller(context, request);
  }

  private serviceKeyCaller(serviceKey: string, request: HttpRequest): Caller {
    const service = [...this.auth.serviceKeys].find(([key]) => secretsEqual(key, serviceKey))?.[1];
    if (!service) throw new GatewayError('UNAUTHENTICATED', 'Unknown service key');
    const onBehalfOf = identifierHeader(request, 'x-on-behalf-of');
    return new Caller({
      kind: 'service',
      service,
      userId: onBehalfOf ?? `service:${service}`,
      orgId: identifierHeader(request, 'x-org-id'),
    });
  }

  private async tokenCaller(context: ExecutionContext, request: HttpRequest): Promise<Caller> {
    const token = bearerToken(request);
    if (!token) throw unauthenticated();
    const verified = await this.verify(context, request, token);
    const onBehalfOf = identifierHeader(request, 'x-on-behalf-of');
    if (onBehalfOf !== undefined) {
      if (!verified.roles.includes(this.auth.serviceRole)) {
        throw new GatewayError('FORBIDDEN', `Only callers with the '${this.auth.serviceRole}' role may act on behalf of another user`);
      }
      return new Caller({
        kind: 'service',
        service: verified.subject,
        userId: onBehalfOf,
        orgId: identifierHeader(request, 'x-org-id'),
        bearerToken: token,
      });
    }
    const orgId = chooseOrganization(verified.organizations, header(request, 'x-org-id'));
    const orgRoles = verified.organizationRoles;
    const orgRole = orgId !== undefined && orgRoles && Object.hasOwn(orgRoles, orgId) ? orgRoles[orgId] : undefined;
    return new Caller({
      kind: verified.kind,
      userId: verified.subject,
      orgId,
      // A role held in an organization counts when the call acts in that organization.
      roles: orgRole && !verified.roles.includes(orgRole) ? [...verified.roles, orgRole] : verified.roles,
      globalRoles: verified.roles,
      orgRole,
      bearerToken: token,
    });
  }

  /** The token's claims with usable ids; a verified JWT is checked once and cached that way. */
  private async verify(context: ExecutionContext, request: HttpRequest, token: string): Promise<VerifiedToken> {
    if (!this.jwtGuard) return usableIds(await this.introspector.verify(token));
    // A JWT's signature never changes: once verified, the same token needs only its expiry checked.
    // Keyed by the token itself, not a digest of it: the token is in memory for this request anyway
    // (Caller.bearerToken), and hashing it cost more than the lookup it guards.
    const cached = this.verifiedJwts.get(token);
    if (cached && (cached.expiresAtMs === undefined || cached.expiresAtMs > this.now())) return cached;
    await this.jwtGuard.canActivate(context);
    const verified = usableIds(request.user as VerifiedToken);
    // Expiry on the gateway's own clock too (jsonwebtoken reads the system's), so every check agrees.
    if (verified.expiresAtMs !== undefined && verified.expiresAtMs <= this.now()) throw unauthenticated();
    const ttlMs = Math.min(VERIFIED_JWT_TTL_MS, (verified.expiresAtMs ?? Infinity) - this.now());
    this.verifiedJwts.set(token, verified, ttlMs);
    return verified;
  }
}

/**
 * The user id must be a plain identifier, like every id the gateway takes from headers: it goes into
 * the execution log, Redis keys, Identity's URL path and log lines. Organizations that are not plain
 * identifiers are left out rather than forwarded.
 */
function usableIds(verified: VerifiedToken): VerifiedToken {
  if (!IDENTIFIER.test(verified.subject)) throw unauthenticated();
  return verified.organizations.every((id) => IDENTIFIER.test(id))
    ? verified
    : { ...verified, organizations: verified.organizations.filter((id) => IDENTIFIER.test(id)) };
}

/**
 * The contract's rule: X-Org-Id when it names one of the caller's organizations, else the first
 * (introspected organizations are sorted by id, so "the first" is stable).
 */
function chooseOrganization(organizations: string[], requested: string | undefined): string | undefined {
  return requested !== undefined && organizations.includes(requested) ? requested : organizations[0];
}

/** `METHOD /path` for log lines: no query string (it may carry anything). */
function routeOf(request: HttpRequest): string {
  const { method, url } = request;
  return `${typeof method === 'string' ? method : ''} ${typeof url === 'string' ? url.split('?')[0].slice(0, 100) : ''}`;
}

/**
 * `Authorization: Bearer <token>`, else `x-api-key: <token>`: the Anthropic SDK (and tools built on
 * it) send the key that way, and for a caller of the gateway that key is their token.
 */
function bearerToken(request: HttpRequest): string | undefined {
  const authorization = header(request, 'authorization');
  if (authorization === undefined) return header(request, 'x-api-key') || undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  return match?.[1];
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function identifierHeader(request: HttpRequest, name: string): string | undefined {
  const value = header(request, name);
  if (value !== undefined && !IDENTIFIER.test(value)) {
    throw new GatewayError('VALIDATION_FAILED', `${name} must be 1-128 characters of letters, digits and ._:@|-`, {
      violations: [{ field: name, message: 'must be 1-128 characters of letters, digits and ._:@|-' }],
    });
  }
  return value;
}
