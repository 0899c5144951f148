import { Module } from '@nestjs/common';
import { CredentialsModule } from '@app/credentials';
import { ProvidersModule } from '@app/providers';
import { CredentialsController } from './credentials.controller.js';

/** /api/integrations/credentials: the caller's keys in the local vault. */
@Module({ imports: [CredentialsModule, ProvidersModule], controllers: [CredentialsController] })
export class CredentialsApiModule {}
