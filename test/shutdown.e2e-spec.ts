import { describe, expect, it } from '@jest/globals';
import { waitFor } from './support/fake-opstage.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, uniqueId } from './support/test-app.js';

describe('graceful shutdown', () => {
  it('lets an in-flight call finish and writes its execution log row before closing', async () => {
    const upstream = await FakeUpstream.start();
    upstream.reply({ ...openAiChatCompletion(), delayMs: 400 });
    const gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-shutdownTests01234567',
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
    const userId = uniqueId('user');
    const rowsWritten = async () =>
      (
        await gateway.dataSource.query<Array<{ count: number }>>('SELECT count(*)::int AS count FROM execution_logs WHERE user_id = $1', [
          userId,
        ])
      )[0].count;
    try {
      const baseUrl = await gateway.listen();
      const inFlight = fetch(`${baseUrl}/api/integrations/execute`, {
        method: 'POST',
        headers: { ...authAs(userId), 'content-type': 'application/json' },
        body: JSON.stringify(chatBody),
      });
      await waitFor(() => upstream.received.length === 1, 3000, 'the call to reach the upstream'); // it now waits on the upstream's 400 ms
      let writtenAtClose: unknown;
      const closing = gateway.dataSource.query('SELECT 1').then(async () => {
        // Spy on the last moment the database is open: the writer flushes before TypeORM closes.
        const originalDestroy = gateway.dataSource.destroy.bind(gateway.dataSource);
        gateway.dataSource.destroy = async () => {
          writtenAtClose = await rowsWritten();
          return originalDestroy();
        };
        await gateway.close();
      });

      const response = await inFlight;

      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: { content: string } }).data.content).toBe('Hello! How can I help?');
      await closing;
      expect(writtenAtClose).toBe(1);
    } finally {
      await upstream.stop();
    }
  });
});
