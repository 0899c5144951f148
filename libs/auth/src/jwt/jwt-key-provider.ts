import type { IncomingMessage } from 'node:http';
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { passportJwtSecret } from 'jwks-rsa';
import type { JwtConfig } from '../auth.config.js';

type Done = (error: Error | null, key?: string | Buffer | KeyObject) => void;
type KeyProvider = (request: IncomingMessage, rawJwtToken: string, done: Done) => void;

/** Algorithms accepted, by which keys are configured. `none` is never among them. */
export function allowedAlgorithms(jwt: JwtConfig): string[] {
  const algorithms: string[] = [];
  if (jwt.secret) algorithms.push('HS256');
  if (jwt.publicKey || jwt.jwksUrl) algorithms.push('RS256', 'ES256');
  return algorithms;
}

/**
 * Picks the verification key by the token's declared algorithm, so each key is only ever used with
 * its own family: a public key is never handed to HMAC (the classic RS256→HS256 confusion).
 */
export function jwtKeyProvider(jwt: JwtConfig): KeyProvider {
  // KeyObjects built once: handed a string, jsonwebtoken rebuilds (and first tries to parse as a
  // public key, throwing) on every verification — measured at ~18% of the gateway's CPU.
  const secret = jwt.secret ? createSecretKey(Buffer.from(jwt.secret, 'utf8')) : undefined;
  const publicKey = jwt.publicKey ? createPublicKey(jwt.publicKey) : undefined;
  const jwks = jwt.jwksUrl
    ? (passportJwtSecret({ jwksUri: jwt.jwksUrl, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }) as unknown as KeyProvider)
    : undefined;
  return (request, rawJwtToken, done) => {
    const algorithm = declaredAlgorithm(rawJwtToken);
    if (algorithm === 'HS256' && secret) return done(null, secret);
    if (algorithm === 'RS256' || algorithm === 'ES256') {
      if (publicKey) return done(null, publicKey);
      if (jwks) return jwks(request, rawJwtToken, done);
    }
    return done(new Error('unsupported token algorithm'));
  };
}

function declaredAlgorithm(rawJwtToken: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(rawJwtToken.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}
