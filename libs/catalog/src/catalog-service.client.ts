import { request } from 'undici';
import { readCatalogResources, type CatalogSnapshot } from './catalog-resources.js';

/** How one read of the Catalog service went. */
export type CatalogFetch =
  | { outcome: 'ok'; snapshot: CatalogSnapshot; source: 'bootstrap' | 'resources' }
  /** Unreachable, 5xx, or an answer that is not a list of resources. */
  | { outcome: 'unavailable' | 'malformed'; reason: string }
  /** Catalog's read limit (60 per minute per caller): no update, never "no models". */
  | { outcome: 'rate_limited'; reason: string };

const TIMEOUT_MS = 5_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Reads the platform's Catalog service as its own Integrations service does: `GET /api/bootstrap`
 * (no token; a bare array), else `GET /api/resources?type=integration` (which ignores `prefix`, so
 * the answer is filtered by key when read).
 */
export async function fetchCatalog(baseUrl: string): Promise<CatalogFetch> {
  const bootstrap = await getJson(`${baseUrl}/api/bootstrap`);
  if (bootstrap.ok) {
    const snapshot = readCatalogResources(bootstrap.body);
    if (snapshot) return { outcome: 'ok', snapshot, source: 'bootstrap' };
  }
  const resources = await getJson(`${baseUrl}/api/resources?type=integration&prefix=${encodeURIComponent('integrations/ai/')}`);
  if (resources.ok) {
    const snapshot = readCatalogResources(resources.body);
    if (snapshot) return { outcome: 'ok', snapshot, source: 'resources' };
    return { outcome: 'malformed', reason: 'Catalog answered with something other than a list of resources' };
  }
  if (resources.status === 429) return { outcome: 'rate_limited', reason: 'Catalog is rate limiting reads (429)' };
  if (bootstrap.ok) return { outcome: 'malformed', reason: 'Catalog answered with something other than a list of resources' };
  return { outcome: bootstrap.malformed ? 'malformed' : 'unavailable', reason: bootstrap.reason };
}

type JsonAnswer = { ok: true; body: unknown } | { ok: false; status?: number; malformed: boolean; reason: string };

async function getJson(url: string): Promise<JsonAnswer> {
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await readBounded(response.body);
    if (response.statusCode !== 200)
      return { ok: false, status: response.statusCode, malformed: false, reason: `HTTP ${response.statusCode}` };
    if (text === undefined) return { ok: false, malformed: true, reason: `answer larger than ${MAX_BODY_BYTES} bytes` };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, status: 200, malformed: true, reason: 'answer is not JSON' };
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, malformed: false, reason: typeof code === 'string' ? code : (error as Error).name || 'request failed' };
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
