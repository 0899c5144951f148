import { describe, expect, it } from '@jest/globals';
import { RequestDeadline } from '@app/common';
import { relayStream, type OpenedStream } from './stream-relay.js';
import type { StreamDecoder, StreamListener } from './stream-types.js';

/** Each event's data is one text delta; `[DONE]` ends the answer. */
const textDecoder: StreamDecoder = {
  decode: ({ data }) => (data === '[DONE]' ? [{ end: true, finishReason: 'stop' }] : [{ delta: data }]),
};

/** An opened upstream stream sending `events`, one chunk each; `pulled` counts the chunks the relay asked for. */
function upstreamSending(events: string[]) {
  const deadline = new RequestDeadline(60_000);
  const pulled = { count: 0 };
  // A plain generator: `for await` reads it as it reads undici's body, one pull per chunk.
  function* body(): Generator<Uint8Array> {
    for (const event of events) {
      // As undici's body does once the request is aborted (the caller hung up, or the deadline passed).
      if (deadline.aborted) throw new Error('aborted');
      pulled.count++;
      yield Buffer.from(`data: ${event}\n\n`);
    }
  }
  const opened = {
    adapter: { name: 'openai' },
    call: { model: 'gpt-4o-mini', operation: 'chat.completions' },
    decoder: textDecoder,
    upstream: { status: 200, headers: {}, stream: body(), latencyMs: 1, deadline, finish: () => deadline.clear() },
    attempts: 1,
  } as unknown as OpenedStream;
  return { opened, pulled, deadline };
}

/** A caller that has fallen behind until `catchUp()` is called. */
function slowCaller() {
  const deltas: string[] = [];
  let behind = true;
  let catchUp = (): void => {
    behind = false;
  };
  const listener: StreamListener = {
    delta: ({ delta }) => deltas.push(delta),
    toolCall: () => undefined,
    ready: () =>
      behind
        ? new Promise<void>((resolve) => {
            catchUp = () => {
              behind = false;
              resolve();
            };
          })
        : undefined,
  };
  return { listener, deltas, catchUp: () => catchUp() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('relayStream with a caller that reads slowly', () => {
  it('reads no further from the upstream until the caller has caught up, then relays the rest', async () => {
    const { opened, pulled, deadline } = upstreamSending(['Hel', 'lo!', '[DONE]']);
    const caller = slowCaller();

    const relaying = relayStream(opened, 'req-1', caller.listener);
    await turn();

    expect(caller.deltas).toEqual(['Hel']);
    expect(pulled.count).toBe(1);
    caller.catchUp();
    // No counts from this upstream: the completion is estimated from the text relayed, 6 characters.
    await expect(relaying).resolves.toMatchObject({
      finishReason: 'stop',
      usage: { promptTokens: 0, completionTokens: 2, totalTokens: 2 },
      metadata: { chunks: 2, usageEstimated: true },
    });
    expect(caller.deltas).toEqual(['Hel', 'lo!']);
    deadline.clear();
  });

  it('ends a caller that reads nothing more before the stream deadline as CANCELLED, not as the provider timing out', async () => {
    const { opened, deadline } = upstreamSending(['Hel', 'lo!', '[DONE]']);
    const caller = slowCaller();

    const relaying = relayStream(opened, 'req-2', caller.listener);
    await turn();
    deadline.timedOut = true; // as the deadline's own timer does when it passes
    deadline.abort();

    await expect(relaying).rejects.toMatchObject({ code: 'CANCELLED', provider: 'openai' });
  });

  it('stops waiting when the call is aborted meanwhile (the caller hung up), and reads no further', async () => {
    const { opened, pulled, deadline } = upstreamSending(['Hel', 'lo!', '[DONE]']);
    const caller = slowCaller();

    const relaying = relayStream(opened, 'req-3', caller.listener);
    await turn();
    deadline.abort();

    await expect(relaying).rejects.toThrow('aborted');
    expect(pulled.count).toBe(1);
  });
});
