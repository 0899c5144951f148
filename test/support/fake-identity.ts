import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, createBufferingServer, listenOnLoopback, loopbackUrl, sendJson as send } from './loopback-server.js';

interface TokenRecord {
  /** The introspection answer for this token (active ones). */
  introspection: Record<string, unknown> & { sub: string };
}

interface StoredKey {
  apiKey: string;
  credentialId: string;
}

/**
 * A real HTTP server on 127.0.0.1 implementing the Identity contract (shared/contracts/identity.md):
 * token introspection and the internal credential lookup with its org-wide fallback.
 */
export class FakeIdentity {
  readonly introspections: string[] = [];
  readonly credentialLookups: Array<{ userId: string; provider: string; headers: IncomingMessage['headers'] }> = [];
  /** 'up', or 'down' (answers 500), 'closed' (drops connections) or 'hang' (never answers). */
  mode: 'up' | 'down' | 'closed' | 'hang' = 'up';
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly userKeys = new Map<string, StoredKey>();
  private readonly orgKeys = new Map<string, StoredKey & { ownerId: string }>();
  private readonly server: Server;

  private constructor(private readonly now: () => number) {
    this.server = createBufferingServer((req, res, body) => this.handle(req, res, body));
  }

  /** `now`: the clock token expiry is judged by (a test's clock, shared with the gateway under test). */
  static async start(now: () => number = Date.now): Promise<FakeIdentity> {
    const fake = new FakeIdentity(now);
    await listenOnLoopback(fake.server);
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  /**
   * Issues an opaque token whose introspection says it belongs to a user. Organizations are ids, or
   * `{id, role}` for the user's role in that organization (Identity gives global roles in `roles`).
   */
  userToken(
    token: string,
    sub: string,
    organizations: Array<string | { id: string; role: string }> = [],
    roles: string[] = [],
    expInSeconds = 3600,
    isSuperAdmin = false,
  ): string {
    const now = Math.floor(this.now() / 1000);
    this.tokens.set(token, {
      introspection: {
        active: true,
        type: 'user',
        sub,
        email: `${sub}@example.test`,
        name: sub,
        isSuperAdmin,
        organizations: organizations.map((organization) =>
          typeof organization === 'string' ? { id: organization, name: organization } : { ...organization, name: organization.id },
        ),
        entitlements: [],
        roles,
        token_type: 'Bearer',
        iat: now,
        exp: now + expInSeconds,
      },
    });
    return token;
  }

  /** An agent token, as the gateway's own IDENTITY_SERVICE_TOKEN would be; Identity tokens expire. */
  agentToken(token: string, sub: string, expInSeconds = 3600): string {
    const now = Math.floor(this.now() / 1000);
    this.tokens.set(token, {
      introspection: {
        active: true,
        type: 'agent',
        sub,
        agentId: sub,
        name: sub,
        capabilities: [],
        token_type: 'Bearer',
        iat: now,
        exp: now + expInSeconds,
      },
    });
    return token;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  setUserKey(userId: string, provider: string, apiKey: string): void {
    this.userKeys.set(`${userId}/${provider}`, { apiKey, credentialId: `cred-${userId}-${provider}` });
  }

  setOrgKey(orgId: string, provider: string, apiKey: string, ownerId: string): void {
    this.orgKeys.set(`${orgId}/${provider}`, { apiKey, credentialId: `cred-org-${orgId}-${provider}`, ownerId });
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (this.mode === 'closed') return void req.socket.destroy();
    if (this.mode === 'hang') return;
    if (this.mode === 'down') return send(res, 500, { message: 'Internal error' });
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/api/auth/introspect') {
      const { token } = JSON.parse(body || '{}') as { token?: string };
      this.introspections.push(token ?? '');
      const record = token ? this.live(token) : undefined;
      return send(res, 200, record ? record.introspection : { active: false });
    }
    const match = /^\/api\/internal\/credentials\/([^/]+)\/([^/]+)$/.exec(url);
    if (req.method === 'GET' && match) return this.credential(req, res, decodeURIComponent(match[1]), decodeURIComponent(match[2]));
    send(res, 404, { message: 'Not found' });
  }

  /** A known token that has not expired (Identity answers an expired one as unknown). */
  private live(token: string): TokenRecord | undefined {
    const record = this.tokens.get(token);
    const exp = record?.introspection.exp;
    return record && (typeof exp !== 'number' || exp * 1000 > this.now()) ? record : undefined;
  }

  private credential(req: IncomingMessage, res: ServerResponse, userId: string, provider: string): void {
    this.credentialLookups.push({ userId, provider, headers: req.headers });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const record = token ? this.live(token) : undefined;
    if (!record) return send(res, 401, { message: 'Invalid or missing token' });
    if (record.introspection.sub !== userId && req.headers['x-service-id'] !== 'integrations') {
      return send(res, 403, { message: 'Forbidden' });
    }
    const own = this.userKeys.get(`${userId}/${provider}`);
    if (own) return send(res, 200, { ...own, metadata: {}, isProxy: false, ownerId: userId, isOrgWide: false });
    const orgId = req.headers['x-org-id'] as string | undefined;
    const shared = orgId ? this.orgKeys.get(`${orgId}/${provider}`) : undefined;
    if (shared) {
      return send(res, 200, {
        apiKey: shared.apiKey,
        credentialId: shared.credentialId,
        metadata: {},
        isProxy: shared.ownerId !== userId,
        ownerId: shared.ownerId,
        isOrgWide: true,
      });
    }
    send(res, 404, { message: 'Credential not found' });
  }
}
