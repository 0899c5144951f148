import { describe, expect, it } from '@jest/globals';
import { providerConfig } from './app-config.js';
import { ConfigValidationError, loadConfig } from './load-config.js';

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('applies documented defaults to an empty environment', () => {
    const config = loadConfig({});

    expect(config.server.port).toBe(5007);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data/pglite' });
    expect(config.identity).toEqual({ serviceUrl: 'http://localhost:5001', timeoutMs: 5000 });
    expect(config.catalog).toEqual({
      serviceUrl: 'http://localhost:5003',
      refreshMs: 300_000,
      liveModelsTtlMs: 300_000,
      pricingFile: undefined,
    });
    expect(providerConfig(config, 'openai')).toEqual({
      baseUrl: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o-mini',
      defaultEmbeddingModel: 'text-embedding-3-small',
      timeoutMs: 60000,
      apiKey: undefined,
    });
    expect(config.credentials.encryptionKey).toBeUndefined();
    expect(config.limits.redisCommandTimeoutMs).toBe(100);
  });

  it.each([
    ['memory', { kind: 'pglite', dataDir: null }],
    ['postgres://user@127.0.0.1:5432/test', { kind: 'postgres', url: 'postgres://user@127.0.0.1:5432/test' }],
    ['postgresql://db.internal/app', { kind: 'postgres', url: 'postgresql://db.internal/app' }],
  ])('reads DATABASE_URL=%s', (value, expected) => {
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual(expected);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).server.port).toBe(5007);
  });

  it('converts numbers and strips trailing slashes from URLs', () => {
    const config = loadConfig({ PORT: '8080', OPENAI_TIMEOUT_MS: '1500', OPENAI_BASE_URL: 'http://127.0.0.1:9000/v1/' });

    expect(config.server.port).toBe(8080);
    expect(providerConfig(config, 'openai')).toMatchObject({ timeoutMs: 1500, baseUrl: 'http://127.0.0.1:9000/v1' });
    expect(loadConfig({ REDIS_COMMAND_TIMEOUT_MS: '2500' }).limits.redisCommandTimeoutMs).toBe(2500);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['IDENTITY_SERVICE_URL', 'not a url'],
    ['OPENAI_BASE_URL', 'ftp://example.com'],
    ['OPENAI_TIMEOUT_MS', '10'],
    ['REDIS_COMMAND_TIMEOUT_MS', '0'],
    ['REDIS_COMMAND_TIMEOUT_MS', '60001'],
    ['EXECUTION_LOG_BATCH_SIZE', '100000'],
    ['LOG_LEVEL', 'chatty'],
    ['CREDENTIAL_ENCRYPTION_KEY', 'too-short'],
  ])('rejects %s=%s, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ PORT: '-1', OPENAI_BASE_URL: 'nope' })).toHaveLength(2);
    // One error across libraries' slices: server, limits, ops agent, a provider.
    expect(
      problemsOf({ PORT: 'x', REDIS_URL: 'http://redis', OPSTAGE_SERVICE_CODE: 'Bad Code', HUGGINGFACE_API_STYLE: 'old' }).map(
        (problem) => problem.split(' ')[0],
      ),
    ).toEqual(['PORT', 'REDIS_URL', 'OPSTAGE_SERVICE_CODE', 'HUGGINGFACE_API_STYLE']);
  });

  it('refuses rollups kept for less time than the raw rows they count', () => {
    expect(problemsOf({ EXECUTION_LOG_RETENTION_DAYS: '90', EXECUTION_LOG_ROLLUP_RETENTION_DAYS: '30' })).toEqual([
      expect.stringContaining('EXECUTION_LOG_ROLLUP_RETENTION_DAYS'),
    ]);
    expect(problemsOf({ EXECUTION_LOG_RETENTION_DAYS: '0', EXECUTION_LOG_ROLLUP_RETENTION_DAYS: '400' })).toHaveLength(1);
    expect(() => loadConfig({ EXECUTION_LOG_RETENTION_DAYS: '0', EXECUTION_LOG_ROLLUP_RETENTION_DAYS: '0' })).not.toThrow();
    expect(() => loadConfig({ EXECUTION_LOG_RETENTION_DAYS: '30' })).not.toThrow();
  });

  it('never echoes a rejected value, which may be a secret', () => {
    const problems = problemsOf({ CREDENTIAL_ENCRYPTION_KEY: 'hunter2-super-secret' });

    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('accepts a 32-byte encryption key as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 7).toString('base64');

    expect(loadConfig({ CREDENTIAL_ENCRYPTION_KEY: hex }).credentials.encryptionKey).toEqual(Buffer.from(hex, 'hex'));
    expect(loadConfig({ CREDENTIAL_ENCRYPTION_KEY: base64 }).credentials.encryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  describe('auth and credential sources', () => {
    it('defaults to Identity introspection and the identity, environment key chain', () => {
      const config = loadConfig({});

      expect(config.auth.mode).toBe('introspection');
      expect(config.credentials.sources).toEqual(['identity', 'environment']);
      expect(config.credentials.identityCacheTtlMs).toBe(60000);
    });

    it('adds the vault to the default chain when an encryption key is set', () => {
      expect(loadConfig({ CREDENTIAL_ENCRYPTION_KEY: 'ab'.repeat(32) }).credentials.sources).toEqual(['identity', 'vault', 'environment']);
    });

    it('takes an explicit source order', () => {
      expect(loadConfig({ CREDENTIAL_SOURCES: 'environment,identity' }).credentials.sources).toEqual(['environment', 'identity']);
    });

    it.each([
      [{ AUTH_MODE: 'jwt' }, 'AUTH_MODE=jwt needs'],
      [{ CREDENTIAL_SOURCES: 'vault' }, 'CREDENTIAL_SOURCES includes vault'],
      [{ CREDENTIAL_SOURCES: 'identity,ldap' }, 'CREDENTIAL_SOURCES must be'],
      [{ SERVICE_API_KEYS: 'runtime:short' }, 'SERVICE_API_KEYS must be'],
      [{ JWT_SECRET: 'too-short' }, 'JWT_SECRET must be at least 32 characters'],
      [{ JWT_PUBLIC_KEY: 'not a pem' }, 'JWT_PUBLIC_KEY must be a PEM'],
    ])('rejects %j', (environment, message) => {
      expect(problemsOf(environment).join('\n')).toContain(message);
    });

    it('reads service keys as name:key pairs', () => {
      const config = loadConfig({ SERVICE_API_KEYS: `runtime:${'r'.repeat(32)},assistants:${'a'.repeat(40)}` });

      expect([...config.auth.serviceKeys.entries()]).toEqual([
        ['r'.repeat(32), 'runtime'],
        ['a'.repeat(40), 'assistants'],
      ]);
    });

    it('accepts a one-line PEM with \\n escapes', () => {
      const config = loadConfig({ AUTH_MODE: 'jwt', JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nABC\\n-----END PUBLIC KEY-----' });

      expect(config.auth.jwt.publicKey).toBe('-----BEGIN PUBLIC KEY-----\nABC\n-----END PUBLIC KEY-----');
    });
  });

  describe('custom OpenAI-compatible providers', () => {
    const groq = {
      name: 'groq',
      baseUrl: 'https://api.groq.com/openai/v1',
      defaultModel: 'llama-3.1-8b-instant',
      apiKeyEnv: 'GROQ_API_KEY',
    };

    it('reads a declared provider, its key from the named variable, and defaults', () => {
      const config = loadConfig({
        CUSTOM_PROVIDERS: JSON.stringify([groq]),
        CUSTOM_PROVIDER_ALLOWED_HOSTS: 'api.groq.com',
        GROQ_API_KEY: 'gsk_abc0123456789',
      });

      expect(config.providers.custom).toEqual([
        {
          name: 'groq',
          displayName: 'groq',
          baseUrl: 'https://api.groq.com/openai/v1',
          defaultModel: 'llama-3.1-8b-instant',
          defaultEmbeddingModel: undefined,
          authHeader: 'bearer',
          timeoutMs: 60000,
          queryParams: {},
          maxTokensField: 'max_tokens',
          apiKey: 'gsk_abc0123456789',
        },
      ]);
    });

    it('matches wildcard hosts', () => {
      const azure = {
        name: 'azure',
        baseUrl: 'https://contoso.openai.azure.com/openai/deployments/gpt4o',
        defaultModel: 'gpt-4o',
        authHeader: 'api-key',
      };

      expect(
        loadConfig({ CUSTOM_PROVIDERS: JSON.stringify([azure]), CUSTOM_PROVIDER_ALLOWED_HOSTS: '*.openai.azure.com' }).providers.custom,
      ).toHaveLength(1);
    });

    it.each([
      [
        'a host outside the allow-list',
        [{ ...groq, baseUrl: 'http://169.254.169.254/latest' }],
        'api.groq.com',
        "host '169.254.169.254' is not in CUSTOM_PROVIDER_ALLOWED_HOSTS",
      ],
      ['any host when no allow-list is set', [groq], undefined, "host 'api.groq.com' is not in CUSTOM_PROVIDER_ALLOWED_HOSTS"],
      [
        'a wildcard that only matches the suffix text',
        [{ ...groq, baseUrl: 'https://evilopenai.azure.com/x' }],
        '*.openai.azure.com',
        'is not in CUSTOM_PROVIDER_ALLOWED_HOSTS',
      ],
      ['a built-in name', [{ ...groq, name: 'openai' }], 'api.groq.com', "the name 'openai' is already taken"],
      ['a duplicate name', [groq, groq], 'api.groq.com', "the name 'groq' is already taken"],
      ['an unknown field', [{ ...groq, baseURL: 'x' }], 'api.groq.com', 'property baseURL should not exist'],
      ['a bad auth style', [{ ...groq, authHeader: 'cookie' }], 'api.groq.com', 'authHeader must be one of'],
      ['an unknown max-tokens field', [{ ...groq, maxTokensField: 'max_output_tokens' }], 'api.groq.com', 'maxTokensField must be one of'],
      ['something other than an array', { groq }, 'api.groq.com', 'CUSTOM_PROVIDERS must be a JSON array'],
    ])('rejects %s', (_case, providers, allowedHosts, message) => {
      const environment: Record<string, string> = { CUSTOM_PROVIDERS: JSON.stringify(providers) };
      if (allowedHosts) environment.CUSTOM_PROVIDER_ALLOWED_HOSTS = allowedHosts;

      expect(problemsOf(environment).join('\n')).toContain(message);
    });

    it('rejects JSON that does not parse', () => {
      expect(problemsOf({ CUSTOM_PROVIDERS: '[{' })).toEqual(['CUSTOM_PROVIDERS must be a JSON array of provider objects']);
    });
  });

  describe('fallback chains', () => {
    it('reads rules with default triggers', () => {
      expect(loadConfig({ FALLBACK_CHAINS: '[{"from":"openai","to":"anthropic"}]' }).providers.fallbacks).toEqual([
        { from: 'openai', to: ['anthropic'], on: ['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_RATE_LIMITED'], models: {} },
      ]);
    });

    it.each([
      [
        'a validation trigger',
        '[{"from":"openai","to":["anthropic"],"on":["VALIDATION_FAILED"]}]',
        'never validation or authentication errors',
      ],
      [
        'an auth trigger',
        '[{"from":"openai","to":["anthropic"],"on":["PROVIDER_AUTH_FAILED"]}]',
        'never validation or authentication errors',
      ],
      ['an unknown provider', '[{"from":"openai","to":["nonesuch"]}]', 'FALLBACK_CHAINS[0].to must list'],
      ['a provider falling back to itself', '[{"from":"openai","to":["openai"]}]', 'FALLBACK_CHAINS[0].to must list'],
      ['bad JSON', '{', 'FALLBACK_CHAINS must be a JSON array'],
    ])('rejects %s', (_case, value, message) => {
      expect(problemsOf({ FALLBACK_CHAINS: value }).join('\n')).toContain(message);
    });
  });
});
