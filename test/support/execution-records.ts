import type { ExecutionLogWriter } from '@app/execution-log';

type ExecutionRecord = Parameters<ExecutionLogWriter['record']>[0];

/** A successful OpenAI chat call as the execution log records it, for suites that write rows directly. */
export function successfulChatRecord(record: Pick<ExecutionRecord, 'requestId' | 'userId'> & Partial<ExecutionRecord>): ExecutionRecord {
  return {
    orgId: null,
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    durationMs: 5,
    promptTokens: 1,
    completionTokens: 1,
    totalTokens: 2,
    success: true,
    errorCode: null,
    errorMessage: null,
    credentialSource: 'environment',
    credentialId: null,
    isProxy: false,
    createdAt: new Date(),
    ...record,
  };
}
