import { describe, expect, it } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import { dispatchFixture } from '../../../../test/support/dispatch-fixture.js';
import { RequestDeadline } from '@app/common';
import { dispatchStream } from './streamed-reply.js';

const routes: Record<string, (response: ServerResponse) => void> = {
  '/events': (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: one\n\n');
    setImmediate(() => {
      response.write('data: two\n\n');
      response.end('data: [DONE]\n\n');
    });
  },
  '/error': (response) => response.writeHead(429, { 'content-type': 'application/json' }).end('{"error":{"message":"slow down"}}'),
  '/broken': (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': '1000' });
    response.write('data: one\n\n');
    setImmediate(() => response.socket?.destroy());
  },
  '/silent': (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: one\n\n');
  },
};

describe('dispatchStream', () => {
  const fixture = dispatchFixture(routes);
  const deadline = fixture.deadline;
  const open = (path: string, until = deadline()) => dispatchStream(fixture.agent, { origin: fixture.origin, path, method: 'GET' }, until);
  const read = async (reply: AsyncIterable<Buffer>) => {
    let text = '';
    for await (const chunk of reply) text += chunk.toString('utf8');
    return text;
  };

  it('resolves with the headers, then gives the body chunk by chunk to the end', async () => {
    const reply = await open('/events');

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/event-stream');
    expect(await read(reply)).toBe('data: one\n\ndata: two\n\ndata: [DONE]\n\n');
  });

  it('reads an error answer whole as text', async () => {
    const reply = await open('/error');

    expect(reply.status).toBe(429);
    expect(await reply.text()).toBe('{"error":{"message":"slow down"}}');
  });

  it("fails the reader's next chunk when the connection breaks part-way", async () => {
    const reply = await open('/broken');

    await expect(read(reply)).rejects.toBeInstanceOf(Error);
  });

  it('is aborted by its deadline, before the headers and while the body is read', async () => {
    const passed = deadline();
    passed.abort();
    await expect(open('/events', passed)).rejects.toBeInstanceOf(errors.RequestAbortedError);

    const reading = deadline();
    const reply = await open('/silent', reading);
    const chunks = reply[Symbol.asyncIterator]();
    expect((await chunks.next()).value?.toString()).toBe('data: one\n\n');
    const next = chunks.next();
    reading.abort();
    await expect(next).rejects.toBeInstanceOf(errors.RequestAbortedError);
    expect(reading.listenerCount('abort')).toBe(0);
  });
});

/** A dispatcher that hands the test the handler and a controller recording what the handler asked of it. */
function drivenByHand() {
  const asked: string[] = [];
  const controller = {
    aborted: false,
    paused: false,
    reason: null,
    abort: (reason: Error) => asked.push(`abort:${reason.constructor.name}`),
    pause: () => asked.push('pause'),
    resume: () => asked.push('resume'),
  } as unknown as Dispatcher.DispatchController;
  let handler!: Dispatcher.DispatchHandler;
  const dispatcher = {
    dispatch: (_options: unknown, given: Dispatcher.DispatchHandler) => {
      handler = given;
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, 200, {}, 'OK');
      return true;
    },
  } as unknown as Dispatcher;
  return { dispatcher, controller, asked, data: (bytes: number) => handler.onResponseData?.(controller, Buffer.alloc(bytes)) };
}

describe('dispatchStream flow control', () => {
  const options = { origin: 'http://127.0.0.1:1', path: '/', method: 'GET' } as const;

  it('pauses the upstream past 64 KiB unread, and resumes once the reader has taken it down to half', async () => {
    const { dispatcher, asked, data } = drivenByHand();
    const deadline = new RequestDeadline(5_000);
    const chunks = (await dispatchStream(dispatcher, options, deadline))[Symbol.asyncIterator]();

    for (let i = 0; i < 3; i++) data(16 * 1024);
    expect(asked).toEqual([]);
    data(16 * 1024);
    expect(asked).toEqual(['pause']);

    await chunks.next();
    expect(asked).toEqual(['pause']);
    await chunks.next();
    expect(asked).toEqual(['pause', 'resume']);
    deadline.clear();
  });

  it('aborts the request when the reader stops before the end', async () => {
    const { dispatcher, asked, data } = drivenByHand();
    const deadline = new RequestDeadline(5_000);
    const reply = await dispatchStream(dispatcher, options, deadline);
    data(10);

    for await (const chunk of reply) {
      expect(chunk).toHaveLength(10);
      break;
    }

    expect(asked).toEqual(['abort:RequestAbortedError']);
    deadline.clear();
  });
});
