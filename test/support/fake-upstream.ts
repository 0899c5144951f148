import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Close the socket without answering (connection reset mid-request). */
  dropConnection?: boolean;
}

type Handler = (request: ReceivedRequest) => ScriptedReply;

/**
 * A real HTTP server on 127.0.0.1 standing in for a provider. Tests script its answers and read back
 * exactly what the gateway sent.
 */
export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  private handler: Handler = () => ({ status: 500, body: { error: { message: 'no reply scripted' } } });
  private readonly server: Server;
  private readonly pending = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const request: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: text ? JSON.parse(text) : undefined,
        };
        this.received.push(request);
        const reply = this.handler(request);
        const send = () => {
          this.pending.delete(res);
          if (res.destroyed) return;
          if (reply.dropConnection) {
            res.socket?.destroy();
            return;
          }
          const isText = typeof reply.body === 'string';
          res.writeHead(reply.status ?? 200, {
            'content-type': isText ? 'text/plain' : 'application/json',
            ...reply.headers,
          });
          res.end(isText ? (reply.body as string) : JSON.stringify(reply.body ?? {}));
        };
        this.pending.add(res);
        if (reply.delayMs) {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            send();
          }, reply.delayMs);
          this.timers.add(timer);
        } else send();
      });
    });
  }

  static async start(): Promise<FakeUpstream> {
    const fake = new FakeUpstream();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Answers every following request with `handler`'s reply. */
  reply(handler: Handler | ScriptedReply): void {
    this.handler = typeof handler === 'function' ? handler : () => handler;
  }

  lastRequest(): ReceivedRequest {
    const last = this.received.at(-1);
    if (!last) throw new Error('the fake upstream received no request');
    return last;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const res of this.pending) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
