import { afterAll, beforeAll } from '@jest/globals';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { RequestDeadline } from '@app/common';
import { closeServer, listenOnLoopback, loopbackUrl } from './loopback-server.js';

/**
 * What the specs of the dispatch reply readers (whole and streamed) share: a real server on
 * 127.0.0.1 answering each path its own way (404 for any other), an undici Agent to send through,
 * and request deadlines that are all cleared when the suite ends. Call it inside `describe`: it
 * registers its own beforeAll/afterAll, and `origin` is set once the server listens.
 */
export function dispatchFixture(routes: Record<string, (response: ServerResponse) => void>) {
  let server: Server;
  const deadlines: RequestDeadline[] = [];
  const fixture = {
    origin: '',
    agent: new Agent(),
    /** A deadline `ms` from now, cleared after the suite if the test did not. */
    deadline: (ms = 5_000): RequestDeadline => {
      const created = new RequestDeadline(ms);
      deadlines.push(created);
      return created;
    },
  };

  beforeAll(async () => {
    server = createServer((request, response) => (routes[request.url ?? ''] ?? ((r) => r.writeHead(404).end()))(response));
    await listenOnLoopback(server);
    fixture.origin = loopbackUrl(server);
  });

  afterAll(async () => {
    for (const created of deadlines) created.clear();
    await fixture.agent.destroy();
    await closeServer(server);
  });

  return fixture;
}
