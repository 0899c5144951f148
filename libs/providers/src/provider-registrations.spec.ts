import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule, configVariableNames, loadConfig, providerConfig } from '@app/config';
import { PROVIDER_REGISTRATIONS } from './provider-registrations.js';
import { ProviderRegistry } from './provider.registry.js';
import { ProvidersModule } from './providers.module.js';

const GROQ = { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', defaultModel: 'llama-3.1-8b-instant' };

async function registryFor(environment: Record<string, string>): Promise<ProviderRegistry> {
  const module = await Test.createTestingModule({ imports: [ConfigModule.forRoot(loadConfig(environment)), ProvidersModule] }).compile();
  return module.get(ProviderRegistry);
}

describe('the providers come from the registrations alone', () => {
  const registered = PROVIDER_REGISTRATIONS.map((registration) => registration.config.name);

  it('lists exactly the registered providers, in registration order, then the declared custom ones', async () => {
    expect((await registryFor({})).names()).toEqual(registered);
    const withCustom = await registryFor({ CUSTOM_PROVIDERS: JSON.stringify([GROQ]), CUSTOM_PROVIDER_ALLOWED_HOSTS: 'api.groq.com' });
    expect(withCustom.names()).toEqual([...registered, 'groq']);
  });

  it('names each adapter after its config slice, and reads each slice from the environment', async () => {
    const registry = await registryFor({});
    for (const registration of PROVIDER_REGISTRATIONS) {
      expect(registry.get(registration.config.name)).toBeInstanceOf(registration.adapter);
      const variables = Object.keys(new registration.config.variables());
      expect(configVariableNames()).toEqual(expect.arrayContaining(variables));
      expect(providerConfig(loadConfig({}), registration.config.name)).toMatchObject({
        baseUrl: expect.any(String),
        timeoutMs: expect.any(Number),
      });
    }
  });

  it('keeps custom providers from taking a registered name', () => {
    const taken = { ...GROQ, name: registered[0] };
    expect(() => loadConfig({ CUSTOM_PROVIDERS: JSON.stringify([taken]), CUSTOM_PROVIDER_ALLOWED_HOSTS: 'api.groq.com' })).toThrow(
      `the name '${registered[0]}' is already taken`,
    );
  });
});
