import type { IncomingHttpHeaders } from 'node:http';

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON-serializable body; a request without one is sent as GET (health probes). */
  body?: unknown;
}

/** An UpstreamRequest with its body already turned into JSON text: nothing is left that can fail before sending. */
export interface SerializedRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON text; undefined for a GET. */
  payload?: string;
}

export interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the upstream sent JSON, else the raw text. */
  body: unknown;
  /** Time from sending the request to having read the whole reply. */
  latencyMs: number;
}
