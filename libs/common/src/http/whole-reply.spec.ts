import { describe, expect, it } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import { errors } from 'undici';
import { dispatchFixture } from '../../../../test/support/dispatch-fixture.js';
import { dispatchWhole } from './whole-reply.js';

/** A real server on 127.0.0.1: each path answers one way. */
const routes: Record<string, (response: ServerResponse) => void> = {
  '/json': (response) => response.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end('{"ok":true}'),
  '/chunked': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('héllo, ');
    setImmediate(() => response.end('wörld'));
  },
  '/bom': (response) => response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])),
  '/empty': (response) => response.writeHead(204).end(),
  '/reset': (response) => {
    response.writeHead(200, { 'content-length': '100' });
    response.write('partial');
    setImmediate(() => response.socket?.destroy());
  },
  '/never': () => undefined,
};

describe('dispatchWhole', () => {
  const fixture = dispatchFixture(routes);
  const deadline = fixture.deadline;
  const get = (path: string, until = deadline()) => dispatchWhole(fixture.agent, { origin: fixture.origin, path, method: 'GET' }, until);

  it('reads status, headers and the whole body', async () => {
    const reply = await get('/json');

    expect(reply).toMatchObject({ status: 201, text: '{"ok":true}' });
    expect(reply.headers['x-upstream']).toBe('yes');
  });

  it('joins a body sent in several chunks and decodes it as UTF-8', async () => {
    expect((await get('/chunked')).text).toBe('héllo, wörld');
  });

  it('drops a leading byte-order mark, as undici body.text() does', async () => {
    expect((await get('/bom')).text).toBe('{"a":1}');
  });

  it('reads an empty body as empty text', async () => {
    expect(await get('/empty')).toMatchObject({ status: 204, text: '' });
  });

  it('fails with the connection when the upstream drops it part-way', async () => {
    await expect(get('/reset')).rejects.toBeInstanceOf(Error);
  });

  it('is aborted by its deadline, while waiting and when already passed', async () => {
    const waiting = deadline();
    const pending = get('/never', waiting);
    setImmediate(() => waiting.abort());
    await expect(pending).rejects.toBeInstanceOf(errors.RequestAbortedError);

    const passed = deadline();
    passed.abort();
    await expect(get('/json', passed)).rejects.toBeInstanceOf(errors.RequestAbortedError);
    expect(passed.listenerCount('abort')).toBe(0);
  });

  it('leaves no listener on a deadline it is done with', async () => {
    const used = deadline();
    await get('/json', used);

    expect(used.listenerCount('abort')).toBe(0);
  });
});
