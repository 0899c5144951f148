import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { ProviderRegistry } from '@app/providers';
import { StatsDto } from './platform.dto.js';

@ApiTags('platform')
@Public()
@Controller('api/stats')
export class StatsController {
  constructor(private readonly registry: ProviderRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Counts for the platform dashboard' })
  @ApiOkResponse({ type: StatsDto })
  stats(): StatsDto {
    const providers = this.registry.names().length;
    return { totalProviders: providers, configuredProviders: providers, totalIntegrations: 0 };
  }
}
