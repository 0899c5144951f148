import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Public, RequireRoles } from '@app/auth';
import { PURPOSE_CAPABILITIES, type ModelInfo } from '@app/catalog';
import { CLOCK, GatewayError, type Clock } from '@app/common';
import { CircuitBreaker, IntegrationSwitch, ProviderRegistry } from '@app/providers';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { StatusResponseDto } from '../integrations/dto/status-response.dto.js';
import { StatusService } from '../status/status.service.js';
import { CapabilitiesService, type Capabilities } from './capabilities.service.js';
import { circuitViews } from './circuit-report.js';
import { CredentialChecks } from './credential-check.js';
import { ModelListing } from './model-listing.js';
import {
  AllModelsDto,
  AllModelsQueryDto,
  CapabilitiesDto,
  CircuitBreakerDto,
  CircuitResetDto,
  ModelsQueryDto,
  ProviderConfigDto,
  ProviderModelsDto,
  PublicStatusDto,
} from './platform.dto.js';
import { ProviderProfiles } from './provider-profiles.js';

const CIRCUIT_DESCRIPTION = 'Circuit breaker protects against cascading failures. Open circuits reject requests until recovery.';
const STATUS_NOTE =
  'registered = an adapter and config exist in this service. Credentials are per caller (Identity, the vault or the ' +
  'environment); this route is unauthenticated and does not check them. Use GET /api/integrations/capabilities with a ' +
  'token for a credential-aware answer.';

/**
 * The routes the platform's services read besides execute (the Symbia Integrations wire): status,
 * provider configs, model lists, per-caller capabilities and the circuit breaker.
 */
@ApiTags('platform')
@ApiAuthenticated()
@Controller('api/integrations')
export class PlatformController {
  constructor(
    private readonly profiles: ProviderProfiles,
    private readonly listing: ModelListing,
    private readonly capabilities: CapabilitiesService,
    private readonly credentials: CredentialChecks,
    private readonly registry: ProviderRegistry,
    private readonly circuit: CircuitBreaker,
    private readonly integration: IntegrationSwitch,
    private readonly status: StatusService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('status')
  @Public()
  @ApiOperation({
    summary: 'Public status: registered providers and their circuits (no credentials checked)',
    description: 'Operators get version, database, log writer and ops agent from GET /api/integrations/status/details.',
  })
  @ApiOkResponse({ type: PublicStatusDto })
  publicStatus(): PublicStatusDto {
    const names = this.registry.names();
    return {
      status: this.integration.state().enabled ? 'healthy' : 'degraded',
      providers: names.map((name) => ({ name, registered: true, credential: 'not_checked' as const, configured: true })),
      note: STATUS_NOTE,
      circuitBreaker: circuitViews(this.circuit, names),
    };
  }

  @Get('status/details')
  @RequireRoles('admin', 'operator')
  @ApiOperation({ summary: 'Version, uptime, database, execution-log writer, integration switch, ops agent and per-provider state' })
  @ApiOkResponse({ type: StatusResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'FORBIDDEN: needs the admin or operator role' })
  detailedStatus(): Promise<StatusResponseDto> {
    return this.status.status();
  }

  @Get('providers/:provider')
  @Public()
  @ApiOperation({ summary: "One provider's configuration" })
  @ApiOkResponse({ type: ProviderConfigDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'NOT_FOUND' })
  provider(@Param('provider') provider: string): ProviderConfigDto {
    const profile = this.profiles.find(provider);
    if (!profile) throw unknownProvider(provider, this.registry.names());
    return profile;
  }

  @Get('providers/:provider/models')
  @ApiOperation({
    summary: "A provider's models, the default first",
    description: 'With `capability=a,b`, models having any of them. With a key for an OpenAI-style provider, its live list is merged in.',
  })
  @ApiOkResponse({ type: ProviderModelsDto })
  async providerModels(
    @CurrentCaller() caller: Caller,
    @Param('provider') provider: string,
    @Query() query: ModelsQueryDto,
  ): Promise<ProviderModelsDto> {
    return { models: await this.modelsFor(caller, provider, capabilityList(query.capability)) };
  }

  @Get('models')
  @ApiOperation({
    summary: 'Every provider’s models, by provider and in one list',
    description: '`capability=a,b` (any-match) wins over `purpose` (chat|llm → chat, reasoning; embedding(s) → embedding; vision).',
  })
  @ApiOkResponse({ type: AllModelsDto })
  async models(@CurrentCaller() caller: Caller, @Query() query: AllModelsQueryDto): Promise<AllModelsDto> {
    const capabilities =
      query.capability !== undefined
        ? capabilityList(query.capability)
        : query.purpose !== undefined
          ? (PURPOSE_CAPABILITIES[query.purpose.toLowerCase()] ?? [NO_CAPABILITY])
          : [];
    const byProvider: Record<string, Array<ModelInfo & { provider: string }>> = {};
    for (const provider of this.registry.names()) {
      byProvider[provider] = (await this.modelsFor(caller, provider, capabilities)).map((model) => ({ ...model, provider }));
    }
    return { models: byProvider, all: Object.values(byProvider).flat() };
  }

  @Get('capabilities')
  @ApiOperation({
    summary: 'What this caller can use: per provider, models, access and status',
    description: 'Providers in registration order; callers take the first `available`. Never contains a key.',
  })
  @ApiOkResponse({ type: CapabilitiesDto })
  forCaller(@CurrentCaller() caller: Caller): Promise<Capabilities> {
    return this.capabilities.forCaller(caller, new Date(this.clock()));
  }

  @Get('circuit-breaker')
  @RequireRoles('admin', 'operator')
  @ApiOperation({ summary: "Every provider's circuit" })
  @ApiOkResponse({ type: CircuitBreakerDto })
  circuitBreaker(): CircuitBreakerDto {
    return { status: circuitViews(this.circuit, this.registry.names()), description: CIRCUIT_DESCRIPTION };
  }

  @Post('circuit-breaker/reset')
  @HttpCode(200)
  @RequireRoles('admin', 'operator')
  @ApiOperation({ summary: 'Close every circuit' })
  @ApiOkResponse({ type: CircuitResetDto })
  resetAll(): CircuitResetDto {
    for (const provider of this.registry.names()) this.circuit.reset(provider);
    return { success: true, message: 'All circuit breakers reset', ...this.circuitBreaker() };
  }

  @Post('circuit-breaker/reset/:provider')
  @HttpCode(200)
  @RequireRoles('admin', 'operator')
  @ApiOperation({ summary: "Close one provider's circuit" })
  @ApiOkResponse({ type: CircuitResetDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'NOT_FOUND' })
  reset(@Param('provider') provider: string): CircuitResetDto {
    if (!this.registry.names().includes(provider)) throw unknownProvider(provider, this.registry.names());
    this.circuit.reset(provider);
    return { success: true, message: `Circuit breaker reset for ${provider}`, ...this.circuitBreaker() };
  }

  private async modelsFor(caller: Caller, provider: string, capabilities: readonly string[]): Promise<ModelInfo[]> {
    if (!this.registry.names().includes(provider)) return [];
    const check = await this.credentials.check(caller, this.registry.get(provider));
    return this.listing.models(provider, capabilities, check.apiKey);
  }
}

/** A capability no model has: an unknown purpose lists nothing (the platform's rule). */
const NO_CAPABILITY = '-';

function capabilityList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((capability) => capability.trim())
    .filter((capability) => capability.length > 0)
    .slice(0, 32);
}

function unknownProvider(provider: string, names: readonly string[]): GatewayError {
  return new GatewayError('NOT_FOUND', `No provider '${provider.slice(0, 64)}'. Providers: ${names.join(', ')}`);
}
