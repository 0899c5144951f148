import type { IncomingHttpHeaders } from 'node:http';

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON-serializable body; a request without one is sent as GET (health probes). */
  body?: unknown;
}

export interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the upstream sent JSON, else the raw text. */
  body: unknown;
  /** Time from sending the request to having read the whole reply. */
  latencyMs: number;
}
