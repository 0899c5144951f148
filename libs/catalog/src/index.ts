export { catalogConfig, type CatalogConfig } from './catalog.config.js';
export { CatalogModule } from './catalog.module.js';
export { ModelCatalog, type CatalogStats, type ModelPrice } from './model-catalog.js';
export { PURPOSE_CAPABILITIES, withAnyCapability, type ModelInfo } from './model-info.js';
export { type ProviderOverride } from './catalog-resources.js';
