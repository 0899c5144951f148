import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import type { AuthConfig } from './auth.config.js';
import { IdentityModule } from '@app/identity';
import { CallerGuard } from './caller.guard.js';
import { TokenIntrospector } from './introspection/token-introspector.js';
import { JwtStrategy } from './jwt/jwt.strategy.js';

/** Authentication for every route (global guard); routes opt out with @Public(). */
@Module({})
export class AuthModule {
  static register(auth: AuthConfig): DynamicModule {
    // One instance: the global guard, also run by routes Fastify serves directly (apps/integrations/src/http/direct-routes.ts).
    const providers: Provider[] = [TokenIntrospector, CallerGuard, { provide: APP_GUARD, useExisting: CallerGuard }];
    // The passport strategy registers itself on construction; only build it when it will be used.
    if (auth.mode === 'jwt') providers.push(JwtStrategy);
    return { module: AuthModule, imports: [IdentityModule, PassportModule], providers };
  }
}
