/** Injection token under which every ProviderAdapter is collected (an array). */
export const PROVIDER_ADAPTERS = Symbol('PROVIDER_ADAPTERS');
