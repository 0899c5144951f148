import { All, Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { GatewayError } from '@app/common';

/**
 * The platform service's generic OpenAPI/MCP integration routes, which this gateway does not offer:
 * a clear 404 in the standard shape rather than a bare "no route".
 */
@ApiExcludeController()
@Public()
@Controller('api/integrations')
export class OutOfScopeController {
  @All(['invoke', 'registry', 'registry/*', 'register', 'parse/*'])
  notOffered(): never {
    throw new GatewayError(
      'NOT_FOUND',
      'Generic OpenAPI/MCP integrations (invoke, registry, register, parse) are not offered by this gateway; it serves model providers through /api/integrations/execute',
    );
  }
}
