import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { ProvidersModule } from '@app/providers';
import { credentialsConfig, type CredentialSourceName, type CredentialsConfig } from './credentials.config.js';
import type { CredentialSource } from './credential-source.js';
import { CREDENTIAL_SOURCES } from './credential-sources.token.js';
import { CredentialResolver } from './credential.resolver.js';
import { EnvironmentCredentialSource } from './environment-credential.source.js';
import { IdentityCredentialSource } from './identity-credential.source.js';
import { CredentialVault } from './vault/credential-vault.js';
import { ServiceKeys } from './vault/service-keys.js';
import { vaultCipherProvider } from './vault/vault-cipher.provider.js';
import { CreateCredentialVault1763800100000 } from './vault/migrations/1763800100000-create-credential-vault.js';
import { AddServiceKeySecretRef1763800600000 } from './vault/migrations/1763800600000-add-service-key-secret-ref.js';
import { AddServiceKeys1763800300000 } from './vault/migrations/1763800300000-add-service-keys.js';
import { VaultGeneration1764700000000 } from './vault/migrations/1764700000000-vault-generation.js';
import { StoredCredentialEntity } from './vault/stored-credential.entity.js';
import { VaultCredentialSource } from './vault/vault-credential.source.js';
import { VaultKeyCheckEntity } from './vault/vault-key-check.entity.js';

/** Migrations this context owns, in order. */
export const CREDENTIAL_MIGRATIONS = [
  CreateCredentialVault1763800100000,
  AddServiceKeys1763800300000,
  AddServiceKeySecretRef1763800600000,
  VaultGeneration1764700000000,
];

@Module({
  imports: [IdentityModule, ProvidersModule, TypeOrmModule.forFeature([StoredCredentialEntity, VaultKeyCheckEntity])],
  providers: [
    vaultCipherProvider,
    CredentialVault,
    ServiceKeys,
    IdentityCredentialSource,
    VaultCredentialSource,
    EnvironmentCredentialSource,
    {
      provide: CREDENTIAL_SOURCES,
      inject: [credentialsConfig.token, IdentityCredentialSource, VaultCredentialSource, EnvironmentCredentialSource],
      useFactory: (
        config: CredentialsConfig,
        identity: IdentityCredentialSource,
        vault: VaultCredentialSource,
        environment: EnvironmentCredentialSource,
      ): CredentialSource[] => {
        const byName: Record<CredentialSourceName, CredentialSource> = { identity, vault, environment };
        return config.sources.map((name) => byName[name]);
      },
    },
    CredentialResolver,
  ],
  exports: [CredentialResolver, CredentialVault, ServiceKeys],
})
export class CredentialsModule {}
