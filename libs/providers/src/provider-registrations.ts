import type { ConfigSlice } from '@app/common';
import { anthropicConfig } from './anthropic/anthropic.config.js';
import { AnthropicAdapter } from './anthropic/anthropic.adapter.js';
import { huggingFaceConfig } from './huggingface/huggingface.config.js';
import { HuggingFaceAdapter } from './huggingface/huggingface.adapter.js';
import { openAiConfig } from './openai/openai.config.js';
import { OpenAiAdapter } from './openai/openai.adapter.js';
import type { UpstreamProviderConfig } from './provider-config.js';
import type { ProviderAdapter } from './provider-adapter.js';

/** A built-in provider: its adapter (an injectable) and its config slice, named after the provider. */
export interface ProviderRegistration {
  adapter: new (...dependencies: never[]) => ProviderAdapter;
  config: ConfigSlice<string, UpstreamProviderConfig>;
}

/**
 * Every built-in provider, in the order they are listed. Adding one: its folder under
 * libs/providers/src/<name>/ (adapter, operations, errors, config slice) and one line here; the
 * providers list, the configuration, the credential chain and the docs all follow from this list.
 */
export const PROVIDER_REGISTRATIONS: readonly ProviderRegistration[] = [
  { adapter: OpenAiAdapter, config: openAiConfig },
  { adapter: AnthropicAdapter, config: anthropicConfig },
  { adapter: HuggingFaceAdapter, config: huggingFaceConfig },
];

export function builtInProviderNames(): string[] {
  return PROVIDER_REGISTRATIONS.map((registration) => registration.config.name);
}
