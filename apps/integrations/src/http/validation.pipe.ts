import { ValidationPipe } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { toViolations } from '@app/providers';

/**
 * Request DTO validation with our error shape: unknown fields are rejected, and each failure names
 * its field (`provider`, `params`, …) under VALIDATION_FAILED.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => GatewayError.validation(toViolations(errors)),
  });
}
