import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/** Swagger for routes behind the global CallerGuard: bearer JWT or service key, and the 401 answer. */
export const ApiAuthenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiSecurity('serviceKey'),
    ApiHeader({ name: 'x-org-id', required: false, description: 'Organization to act in (one of the caller’s organizations)' }),
    ApiHeader({ name: 'x-on-behalf-of', required: false, description: 'Service callers only: the user the call is made for' }),
    ApiResponse({ status: 401, type: ErrorResponseDto, description: 'UNAUTHENTICATED' }),
  );
