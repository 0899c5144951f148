import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { parseJsonArray } from '../json-array.js';
import type { UpstreamProviderConfig } from '../provider-config.js';

/** An OpenAI-compatible endpoint declared in configuration (Azure OpenAI, Ollama, vLLM, Groq, …). */
export interface CustomProviderConfig extends UpstreamProviderConfig {
  name: string;
  displayName: string;
  defaultEmbeddingModel?: string;
  authHeader: 'bearer' | 'api-key' | 'none';
  queryParams: Record<string, string>;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

/**
 * One OpenAI-compatible endpoint declared in CUSTOM_PROVIDERS (Azure OpenAI, Ollama, vLLM, Groq, …):
 * `{"name":"groq","baseUrl":"https://api.groq.com/openai/v1","defaultModel":"llama-3.1-8b-instant","apiKeyEnv":"GROQ_API_KEY"}`.
 */
class CustomProviderDefinition {
  @Matches(/^[a-z][a-z0-9-]{1,31}$/, { message: 'name must be 2-32 lowercase letters, digits or dashes' })
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  displayName?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl: string;

  @IsString()
  @MinLength(1)
  defaultModel: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  defaultEmbeddingModel?: string;

  /** How the key is sent: `Authorization: Bearer` (most), `api-key` header (Azure), or no key (Ollama). */
  @IsIn(['bearer', 'api-key', 'none'])
  authHeader: 'bearer' | 'api-key' | 'none' = 'bearer';

  /** Environment variable holding a service-level key for this provider (optional). */
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'apiKeyEnv must name an environment variable' })
  apiKeyEnv?: string;

  @IsInt()
  @Min(100)
  @Max(600_000)
  timeoutMs = 60_000;

  /** The field `params.maxTokens` is sent as: `max_tokens` (most servers) or `max_completion_tokens` (OpenAI's current name). */
  @IsIn(['max_tokens', 'max_completion_tokens'])
  maxTokensField: 'max_tokens' | 'max_completion_tokens' = 'max_tokens';

  /** Query parameters every call carries, e.g. Azure's `{"api-version":"2024-10-21"}`. */
  @IsOptional()
  @IsObject()
  queryParams?: Record<string, string>;
}

/**
 * Parses and checks CUSTOM_PROVIDERS; returns the configs, or the problems naming the variable. A
 * custom provider may not take a name already in `takenNames` (the built-in providers').
 */
export function parseCustomProviders(
  json: string | undefined,
  allowedHosts: string | undefined,
  environment: Readonly<Record<string, string | undefined>>,
  takenNames: readonly string[],
): { providers: CustomProviderConfig[]; problems: string[] } {
  if (!json) return { providers: [], problems: [] };
  const parsed = parseJsonArray(json);
  if (!parsed) return { providers: [], problems: ['CUSTOM_PROVIDERS must be a JSON array of provider objects'] };

  const hosts = (allowedHosts ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  const problems: string[] = [];
  const providers: CustomProviderConfig[] = [];
  const names = new Set<string>(takenNames);
  parsed.forEach((item: unknown, index) => {
    const label = `CUSTOM_PROVIDERS[${index}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return void problems.push(`${label} must be an object`);
    const definition = plainToInstance(CustomProviderDefinition, item);
    const errors = validateSync(definition, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      for (const error of errors) problems.push(`${label}: ${Object.values(error.constraints ?? {}).join('; ')}`);
      return;
    }
    if (names.has(definition.name)) return void problems.push(`${label}: the name '${definition.name}' is already taken`);
    names.add(definition.name);
    const host = new URL(definition.baseUrl).hostname.toLowerCase();
    if (!hosts.some((allowed) => hostMatches(host, allowed))) {
      return void problems.push(`${label}: host '${host}' is not in CUSTOM_PROVIDER_ALLOWED_HOSTS`);
    }
    providers.push({
      name: definition.name,
      displayName: definition.displayName ?? definition.name,
      baseUrl: definition.baseUrl.replace(/\/+$/, ''),
      defaultModel: definition.defaultModel,
      defaultEmbeddingModel: definition.defaultEmbeddingModel,
      authHeader: definition.authHeader,
      timeoutMs: definition.timeoutMs,
      queryParams: definition.queryParams ?? {},
      maxTokensField: definition.maxTokensField,
      apiKey: definition.apiKeyEnv ? environment[definition.apiKeyEnv] || undefined : undefined,
    });
  });
  return { providers, problems };
}

/** `api.groq.com` matches itself; `*.openai.azure.com` matches any subdomain of openai.azure.com. */
function hostMatches(host: string, allowed: string): boolean {
  if (allowed.startsWith('*.')) return host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1;
  return host === allowed;
}
