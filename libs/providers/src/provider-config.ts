/** What every upstream provider is configured with. */
export interface UpstreamProviderConfig {
  baseUrl: string;
  defaultModel: string;
  timeoutMs: number;
  /** Service-level key from the environment, if any. Never logged or reported. */
  apiKey?: string;
}
