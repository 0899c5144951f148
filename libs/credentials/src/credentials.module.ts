import { Module } from '@nestjs/common';
import { CREDENTIAL_SOURCES, type CredentialSource } from './credential-source.js';
import { CredentialResolver } from './credential.resolver.js';
import { EnvironmentCredentialSource } from './environment-credential.source.js';

/** Sources in the order they are asked. */
const SOURCES = [EnvironmentCredentialSource];

@Module({
  providers: [
    ...SOURCES,
    { provide: CREDENTIAL_SOURCES, useFactory: (...sources: CredentialSource[]) => sources, inject: SOURCES },
    CredentialResolver,
  ],
  exports: [CredentialResolver],
})
export class CredentialsModule {}
