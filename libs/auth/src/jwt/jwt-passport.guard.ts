import { AuthGuard } from '@nestjs/passport';
import { GatewayError } from '@app/common';
import type { VerifiedToken } from '../verified-token.js';

/** Runs the passport-jwt strategy; every failure (expired, bad signature, alg none…) is one plain 401. */
export class JwtPassportGuard extends AuthGuard('jwt') {
  override handleRequest<TUser = VerifiedToken>(error: unknown, user: TUser | false): TUser {
    if (error || !user) throw unauthenticated();
    return user;
  }
}

export function unauthenticated(): GatewayError {
  return new GatewayError('UNAUTHENTICATED', 'A valid bearer token is required');
}
