import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { closeServer, createBufferingServer, listenOnLoopback, loopbackUrl } from './loopback-server.js';

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
  /** Send the status, headers and this much of the body, then reset the connection (reset mid-body). */
  partialBody?: string;
  /** Answer as a server-sent event stream, one event at a time. */
  sse?: Array<{ event?: string; data: string }>;
  /** Pause before each event after the first. */
  eventGapMs?: number;
  /** After sending the events: keep the stream open (`hang`) or cut the connection (`drop`). */
  afterEvents?: 'end' | 'hang' | 'drop';
}

type Handler = (request: ReceivedRequest) => ScriptedReply;

/**
 * A real HTTP server on 127.0.0.1 standing in for a provider. Tests script its answers and read back
 * exactly what the gateway sent.
 */
export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  /** How many requests the client (the gateway) abandoned before the answer was complete. */
  abandoned = 0;
  private handler: Handler = () => ({ status: 500, body: { error: { message: 'no reply scripted' } } });
  private readonly server: Server;
  private readonly pending = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.server = createBufferingServer((req, res, text) => {
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
        if (reply.sse) {
          void this.stream(res, reply);
          return;
        }
        if (reply.partialBody !== undefined) {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'content-length': '100000', ...reply.headers });
          res.write(reply.partialBody, () => setTimeout(() => res.socket?.destroy(), 20));
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
      res.on('close', () => {
        if (!res.writableFinished) this.abandoned++;
      });
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send();
        }, reply.delayMs);
        this.timers.add(timer);
      } else send();
    });
  }

  private async stream(res: ServerResponse, reply: ScriptedReply): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', ...reply.headers });
    for (const [index, event] of reply.sse!.entries()) {
      if (index > 0 && reply.eventGapMs) await new Promise((resolve) => setTimeout(resolve, reply.eventGapMs));
      if (res.destroyed) return;
      res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`);
    }
    if (reply.afterEvents === 'hang') return;
    if (reply.afterEvents === 'drop') {
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the events reach the gateway first
      return void res.socket?.destroy();
    }
    res.end();
  }

  static async start(): Promise<FakeUpstream> {
    const fake = new FakeUpstream();
    await listenOnLoopback(fake.server);
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server);
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
    await closeServer(this.server);
  }
}
