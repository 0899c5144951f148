import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import { dispatchWhole, GatewayError, RequestDeadline, urlParts } from '@app/common';
import { identityConfig, type IdentityConfig } from './identity.config.js';
import type { IdentityCredential, Introspection } from './identity-contract.js';

export interface CredentialLookup {
  userId: string;
  provider: string;
  orgId?: string;
  /** The caller's own token (or the gateway's service token); Identity verifies it. */
  bearerToken: string;
}

/**
 * The Identity service's introspection and credential endpoints, exactly as the contract states.
 * undici, not axios: both calls sit on the request path whenever a cache misses.
 */
@Injectable()
export class IdentityClient implements OnApplicationShutdown {
  /** IDENTITY_SERVICE_URL's origin, and its path ('' at the root) that every endpoint's path follows. */
  private readonly origin: string;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly dispatcher = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

  constructor(@Inject(identityConfig.token) config: IdentityConfig) {
    const { origin, path } = urlParts(config.serviceUrl);
    this.origin = origin;
    this.basePath = path === '/' ? '' : path;
    this.timeoutMs = config.timeoutMs;
  }

  /** RFC 7662-style introspection; Identity always answers 200, anything else means it is unwell. */
  async introspect(token: string): Promise<Introspection> {
    const { status, body } = await this.send(
      'POST',
      '/api/auth/introspect',
      { 'content-type': 'application/json' },
      JSON.stringify({ token }),
    );
    if (status !== 200 || body === null || typeof body !== 'object') throw unavailable(`introspection answered HTTP ${status}`, 'error');
    return body as Introspection;
  }

  /** The user's key for a provider, or null when Identity has none (404). */
  async fetchCredential(lookup: CredentialLookup): Promise<IdentityCredential | null> {
    const headers: Record<string, string> = { authorization: `Bearer ${lookup.bearerToken}`, 'x-service-id': 'integrations' };
    if (lookup.orgId) headers['x-org-id'] = lookup.orgId;
    const path = `/api/internal/credentials/${encodeURIComponent(lookup.userId)}/${encodeURIComponent(lookup.provider)}`;
    const { status, body } = await this.send('GET', path, headers);
    if (status === 404) return null;
    if (status === 401) throw new GatewayError('UNAUTHENTICATED', 'The Identity service did not accept the caller’s token');
    if (status !== 200) throw unavailable(`credential lookup answered HTTP ${status}`, 'error');
    const credential = body as Partial<IdentityCredential> | null;
    if (!credential || typeof credential.apiKey !== 'string' || credential.apiKey === '') {
      throw unavailable('credential lookup answered without a key', 'error');
    }
    return {
      apiKey: credential.apiKey,
      credentialId: typeof credential.credentialId === 'string' ? credential.credentialId : undefined,
      isProxy: credential.isProxy === true,
      isOrgWide: credential.isOrgWide === true,
      ownerId: typeof credential.ownerId === 'string' ? credential.ownerId : undefined,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * One request, its reply read whole through undici's handler API (dispatchWhole): `request()`
   * wraps each reply in a stream and an abort signal, at a measured cost per lookup
   * (bench/README.md). The deadline's timer is cleared once the answer is in.
   */
  private async send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) {
    const deadline = new RequestDeadline(this.timeoutMs);
    try {
      // Set on the caller's own header object (each lookup builds one), not spread into a copy: see
      // withGatewayHeaders in the upstream client for what such a copy cost.
      headers.accept = 'application/json';
      const reply = await dispatchWhole(
        this.dispatcher,
        { origin: this.origin, path: this.basePath + path, method, headers, body },
        deadline,
      );
      let parsed: unknown = null;
      try {
        parsed = reply.text ? JSON.parse(reply.text) : null;
      } catch {
        parsed = null;
      }
      return { status: reply.status, body: parsed };
    } catch (error) {
      const kind = deadline.timedOut ? 'timeout' : failureKind(error);
      throw unavailable(
        kind === 'timeout' ? `no answer within ${this.timeoutMs} ms` : kind === 'refused' ? 'connection refused' : 'unreachable',
        kind,
        error,
      );
    } finally {
      deadline.clear();
    }
  }
}

/** Why Identity could not be asked: an operator fixes a timeout and a refused connection differently. */
export type IdentityFailureKind = 'timeout' | 'refused' | 'error';

/** What undici's own error (or one in its causes) says; the lookup's deadline passing is told by the deadline itself. */
function failureKind(error: unknown): IdentityFailureKind {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current && typeof current === 'object'; depth++) {
    const { code } = current as { code?: unknown };
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
    if (code === 'ECONNREFUSED') return 'refused';
    current = (current as { cause?: unknown }).cause;
  }
  return 'error';
}

function unavailable(reason: string, kind: IdentityFailureKind, cause?: unknown): GatewayError {
  return new GatewayError('IDENTITY_UNAVAILABLE', `The Identity service is unavailable (${reason})`, { cause, metadata: { reason: kind } });
}
