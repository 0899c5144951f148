import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@app/auth';
import { GatewayError } from '@app/common';
import { CredentialResolver, CredentialVault, type CredentialScope, type StoredCredentialSummary } from '@app/credentials';
import { ProviderRegistry } from '@app/providers';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { CredentialScopeQueryDto, PutCredentialDto, StoredCredentialDto, StoredCredentialsDto } from './credential.dto.js';

/** What a provider name can be (built-in names and custom providers' names alike). */
const PROVIDER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Roles allowed to manage their organization's shared keys. */
const ORG_ADMIN_ROLES = ['admin', 'org_admin'];

@ApiTags('credentials')
@ApiAuthenticated()
@ApiResponse({ status: 503, type: ErrorResponseDto, description: 'VAULT_DISABLED (no CREDENTIAL_ENCRYPTION_KEY)' })
@Controller('api/integrations/credentials')
export class CredentialsController {
  constructor(
    private readonly vault: CredentialVault,
    private readonly registry: ProviderRegistry,
    private readonly resolver: CredentialResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's vault keys and their organization's shared keys (fingerprints only)" })
  @ApiOkResponse({ type: StoredCredentialsDto })
  async list(@CurrentCaller() caller: Caller): Promise<StoredCredentialsDto> {
    const owners: Array<{ scope: CredentialScope; ownerId: string }> = [{ scope: 'user', ownerId: caller.userId }];
    if (caller.orgId) owners.push({ scope: 'org', ownerId: caller.orgId });
    return { items: (await this.vault.list(owners)).map(toDto) };
  }

  @Put(':provider')
  @ApiOperation({ summary: 'Store (or replace) a provider key in the encrypted vault' })
  @ApiOkResponse({ type: StoredCredentialDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'FORBIDDEN: org keys need an admin role' })
  async put(
    @CurrentCaller() caller: Caller,
    @Param('provider') provider: string,
    @Body() body: PutCredentialDto,
  ): Promise<StoredCredentialDto> {
    const adapter = this.registry.get(provider);
    // An explicit null is "not given" (the validator lets it through as optional): the default scope.
    const scope = body.scope ?? 'user';
    const ownerId = ownerFor(caller, scope);
    const stored = await this.vault.put(scope, ownerId, adapter.name, body.apiKey, caller.userId);
    this.resolver.invalidate({ userId: caller.userId, orgId: caller.orgId, provider: adapter.name });
    return toDto(stored);
  }

  @Delete(':provider')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a provider key from the vault' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'NOT_FOUND: no such key' })
  async remove(
    @CurrentCaller() caller: Caller,
    @Param('provider') provider: string,
    @Query() query: CredentialScopeQueryDto,
  ): Promise<void> {
    // Not looked up in the registry: a key of a provider no longer configured can still be deleted.
    if (!PROVIDER_NAME.test(provider)) {
      throw GatewayError.validation([{ field: 'provider', message: 'must be 1-64 letters, digits, ., _ or -' }]);
    }
    const ownerId = ownerFor(caller, query.scope);
    if (!(await this.vault.delete(query.scope, ownerId, provider))) {
      throw new GatewayError('NOT_FOUND', `No ${query.scope} key for ${provider.slice(0, 64)} in the vault`);
    }
    this.resolver.invalidate({ userId: caller.userId, orgId: caller.orgId, provider });
  }
}

/** A user manages their own keys; an organization's keys need an admin of that organization. */
function ownerFor(caller: Caller, scope: CredentialScope): string {
  if (scope === 'user') return caller.userId;
  if (!caller.orgId) throw new GatewayError('FORBIDDEN', 'The caller belongs to no organization');
  if (!ORG_ADMIN_ROLES.some((role) => caller.hasRole(role))) {
    throw new GatewayError('FORBIDDEN', `Managing organization keys needs one of the roles: ${ORG_ADMIN_ROLES.join(', ')}`);
  }
  return caller.orgId;
}

function toDto(summary: StoredCredentialSummary): StoredCredentialDto {
  const { provider, scope, fingerprint, createdAt, updatedAt, lastUsedAt } = summary;
  return { provider, scope, fingerprint, createdAt, updatedAt, lastUsedAt };
}
