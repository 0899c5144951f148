export {
  APP_CONFIG,
  type AnthropicProviderConfig,
  type AppConfig,
  type AuthConfig,
  type Budget,
  type CredentialSourceName,
  type CustomProviderConfig,
  type DatabaseConfig,
  type ExecutionLogConfig,
  type FallbackRule,
  type HuggingFaceProviderConfig,
  type JwtConfig,
  type LimitsConfig,
  type OpsAgentConfig,
  type RateLimit,
  type ResilienceConfig,
} from './app-config.js';
export { ConfigModule } from './config.module.js';
export { ConfigValidationError, configVariableNames, loadConfig } from './load-config.js';
