#!/usr/bin/env node
// Mints an HS256 JWT for local development against AUTH_MODE=jwt (never for production use).
// Usage: JWT_SECRET=… node scripts/mint-dev-token.mjs <userId> [--org <orgId>] [--role <role>]… [--ttl <seconds>]
import jwt from 'jsonwebtoken';

const args = process.argv.slice(2);
const userId = args.find((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
const secret = process.env.JWT_SECRET;
if (!userId || !secret) {
  console.error('Usage: JWT_SECRET=<secret> npm run token -- <userId> [--org <orgId>] [--role <role>] [--ttl <seconds>]');
  process.exit(2);
}
const valuesOf = (flag) => args.flatMap((arg, index) => (arg === flag && args[index + 1] ? [args[index + 1]] : []));
const claims = { sub: userId, roles: valuesOf('--role') };
const [orgId] = valuesOf('--org');
if (orgId) claims.orgId = orgId;
const [ttl] = valuesOf('--ttl');
console.log(jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: Number(ttl ?? 3600) }));
