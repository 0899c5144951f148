import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { VaultCipher } from './vault-cipher.js';

/** The vault's cipher, or null when CREDENTIAL_ENCRYPTION_KEY is not set (vault off). */
export const VAULT_CIPHER = Symbol('VAULT_CIPHER');

export const vaultCipherProvider: Provider = {
  provide: VAULT_CIPHER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): VaultCipher | null =>
    config.credentialEncryptionKey ? new VaultCipher(config.credentialEncryptionKey) : null,
};
