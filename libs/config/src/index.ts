export { configSlices, providerConfig, type AppConfig } from './app-config.js';
export { ConfigModule } from './config.module.js';
export { ConfigValidationError, configVariableNames, loadConfig } from './load-config.js';
export { serverConfig, type ServerConfig } from './server.config.js';
export { responseCacheConfig, type ResponseCacheConfig } from './response-cache.config.js';
export { tracingConfig, type TraceSampler, type TracingConfig } from './tracing.config.js';
