import type { Provider } from '@nestjs/common';
import { credentialsConfig, type CredentialsConfig } from '../credentials.config.js';
import { VaultCipher } from './vault-cipher.js';

/** The vault's cipher, or null when CREDENTIAL_ENCRYPTION_KEY is not set (vault off). */
export const VAULT_CIPHER = Symbol('VAULT_CIPHER');

export const vaultCipherProvider: Provider = {
  provide: VAULT_CIPHER,
  inject: [credentialsConfig.token],
  useFactory: (config: CredentialsConfig): VaultCipher | null => (config.encryptionKey ? new VaultCipher(config.encryptionKey) : null),
};
