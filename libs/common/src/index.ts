export { withTimeout } from './async/with-timeout.js';
export { DeadlineBoundHandler } from './http/deadline-bound-handler.js';
export { RequestDeadline } from './http/request-deadline.js';
export { urlParts, type UrlParts } from './http/url-parts.js';
export { decodeText, dispatchWhole, type RawReply } from './http/whole-reply.js';
export { SingleFlight } from './cache/single-flight.js';
export { TtlCache, refreshAheadDue } from './cache/ttl-cache.js';
export { ErrorCode, type ErrorCategory } from './errors/error-code.js';
export { GatewayError, type FieldViolation } from './errors/gateway-error.js';
export { ThrottledWarning } from './logging/throttled-warning.js';
export { SecurityEvents } from './observability/security-events.js';
export { keyFingerprint, secretsEqual, sha256Hex } from './secrets/hash.js';
export { redactSecrets } from './secrets/redact.js';
export { readServiceVersion } from './service-version.js';
export { jsonDepthViolation } from './validation/json-depth.js';
export {
  anyObject,
  arrayOf,
  boolean,
  extend,
  integer,
  isPlainObject,
  number,
  object,
  oneOf,
  optional,
  satisfies,
  string,
  validated,
  type ObjectRule,
  type Rule,
} from './validation/schema.js';
export { CLOCK, unrefTimeout, type Clock, type Schedule, type ScheduledTask } from './clock.js';
export { isoTime } from './time/iso-time.js';
export {
  configSlice,
  HTTP_URL,
  stripTrailingSlash,
  type ConfigOf,
  type ConfigSlice,
  type RawEnvironment,
  type SliceContext,
} from './config/config-slice.js';
