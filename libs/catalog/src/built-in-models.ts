import type { ModelInfo } from './model-info.js';

/**
 * The models the gateway knows without asking anyone: each provider's current models with list
 * prices (USD per 1M tokens, as the providers publish them). The Catalog service extends or
 * overrides them at run time; PRICING_FILE overrides prices.
 */
export const BUILT_IN_MODELS: Readonly<Record<string, readonly ModelInfo[]>> = {
  openai: [
    chat('gpt-4o-mini', 'GPT-4o mini', 128_000, 16_384, 0.15, 0.6, ['vision', 'function_calling']),
    chat('gpt-4o', 'GPT-4o', 128_000, 16_384, 2.5, 10, ['vision', 'function_calling']),
    chat('gpt-4.1', 'GPT-4.1', 1_047_576, 32_768, 2, 8, ['vision', 'function_calling']),
    chat('gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768, 0.4, 1.6, ['vision', 'function_calling']),
    chat('gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768, 0.1, 0.4, ['vision', 'function_calling']),
    chat('o3-mini', 'o3-mini', 200_000, 100_000, 1.1, 4.4, ['reasoning', 'function_calling']),
    chat('o1', 'o1', 200_000, 100_000, 15, 60, ['reasoning', 'vision', 'function_calling']),
    { ...chat('o1-mini', 'o1-mini', 128_000, 65_536, 1.1, 4.4, ['reasoning']), deprecated: true },
    { ...chat('gpt-4-turbo', 'GPT-4 Turbo', 128_000, 4_096, 10, 30, ['vision', 'function_calling']), deprecated: true },
    embedding('text-embedding-3-small', 'Text Embedding 3 Small', 8_191, 0.02),
    embedding('text-embedding-3-large', 'Text Embedding 3 Large', 8_191, 0.13),
  ],
  anthropic: [
    chat('claude-3-5-sonnet-latest', 'Claude 3.5 Sonnet (latest)', 200_000, 8_192, 3, 15, ['vision', 'function_calling']),
    chat('claude-sonnet-4-20250514', 'Claude Sonnet 4', 200_000, 64_000, 3, 15, ['vision', 'function_calling', 'reasoning']),
    chat('claude-opus-4-20250514', 'Claude Opus 4', 200_000, 32_000, 15, 75, ['vision', 'function_calling', 'reasoning']),
    chat('claude-3-7-sonnet-20250219', 'Claude 3.7 Sonnet', 200_000, 64_000, 3, 15, ['vision', 'function_calling', 'reasoning']),
    chat('claude-3-5-sonnet-20241022', 'Claude 3.5 Sonnet', 200_000, 8_192, 3, 15, ['vision', 'function_calling']),
    chat('claude-3-5-haiku-latest', 'Claude 3.5 Haiku (latest)', 200_000, 8_192, 0.8, 4, ['function_calling']),
    chat('claude-3-5-haiku-20241022', 'Claude 3.5 Haiku', 200_000, 8_192, 0.8, 4, ['function_calling']),
    { ...chat('claude-3-opus-20240229', 'Claude 3 Opus', 200_000, 4_096, 15, 75, ['vision', 'function_calling']), deprecated: true },
  ],
  // Inference Providers bill per provider and model: no list price, so unpriced.
  huggingface: [
    chat('meta-llama/Llama-3.2-3B-Instruct', 'Llama 3.2 3B Instruct', 131_072, undefined, undefined, undefined, []),
    chat('meta-llama/Llama-3.1-8B-Instruct', 'Llama 3.1 8B Instruct', 131_072, undefined, undefined, undefined, ['function_calling']),
    chat('meta-llama/Llama-3.3-70B-Instruct', 'Llama 3.3 70B Instruct', 131_072, undefined, undefined, undefined, ['function_calling']),
    chat('Qwen/Qwen2.5-72B-Instruct', 'Qwen2.5 72B Instruct', 32_768, undefined, undefined, undefined, ['function_calling']),
    chat('Qwen/Qwen2.5-VL-7B-Instruct', 'Qwen2.5 VL 7B Instruct', 32_768, undefined, undefined, undefined, ['vision']),
    chat('deepseek-ai/DeepSeek-R1', 'DeepSeek R1', 131_072, undefined, undefined, undefined, ['reasoning']),
    embedding('sentence-transformers/all-MiniLM-L6-v2', 'all-MiniLM-L6-v2', 512, undefined),
  ],
};

function chat(
  id: string,
  name: string,
  contextWindow: number,
  maxOutputTokens: number | undefined,
  inputPricing: number | undefined,
  outputPricing: number | undefined,
  more: string[],
): ModelInfo {
  return {
    id,
    name,
    contextWindow,
    ...(maxOutputTokens !== undefined && { maxOutputTokens }),
    capabilities: ['chat', ...more],
    ...(inputPricing !== undefined && { inputPricing }),
    ...(outputPricing !== undefined && { outputPricing }),
  };
}

function embedding(id: string, name: string, contextWindow: number, inputPricing: number | undefined): ModelInfo {
  return {
    id,
    name,
    contextWindow,
    capabilities: ['embedding'],
    ...(inputPricing !== undefined && { inputPricing, outputPricing: 0 }),
  };
}
