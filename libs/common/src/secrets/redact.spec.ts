import { describe, expect, it } from '@jest/globals';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it.each([
    ['an OpenAI key', 'Incorrect API key provided: sk-proj-abc123def456', 'Incorrect API key provided: [REDACTED]'],
    ['a masked key echo', 'Incorrect API key provided: sk-abc***wxyz.', 'Incorrect API key provided: [REDACTED]'],
    ['an Anthropic key', 'key sk-ant-api03-AbCdEf012345 invalid', 'key [REDACTED] invalid'],
    ['a HuggingFace token', 'token hf_AbCdEfGhIjKlMn rejected', 'token [REDACTED] rejected'],
    [
      'a masked HuggingFace echo',
      'Invalid credentials in Authorization header: hf_…...abc123',
      'Invalid credentials in Authorization header: [REDACTED]',
    ],
    ['a masked key with an ellipsis', 'key sk-proj-…wxyz invalid', 'key [REDACTED] invalid'],
    ['a bearer header', 'sent Authorization: Bearer abc.def-ghi', 'sent Authorization: [REDACTED]'],
    ['a JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature ok', 'jwt [REDACTED] ok'],
  ])('removes %s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('removes known secret values of any shape', () => {
    expect(redactSecrets('echo: custom-key-0123456789 done', ['custom-key-0123456789'])).toBe('echo: [REDACTED] done');
  });

  it("removes the word holding a known key's tail, however the upstream masked the rest", () => {
    const key = 'custom-secret-value-xyz987';
    expect(redactSecrets('rejected key ****xyz987 for project p', [key])).toBe('rejected key [REDACTED] for project p');
  });

  it('leaves ordinary text alone', () => {
    const text = "This model's maximum context length is 128000 tokens (skip-ahead disabled).";
    expect(redactSecrets(text, ['short'])).toBe(text);
  });
});
