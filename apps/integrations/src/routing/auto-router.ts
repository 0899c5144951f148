import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError, validated, type ErrorCode } from '@app/common';
import { estimatePromptTokens } from '@app/normalization';
import { CircuitBreaker, ProviderRegistry, type ProviderAdapter } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import { CredentialChecks } from '../platform/credential-check.js';
import { ModelListing } from '../platform/model-listing.js';
import { cheapestRoute, type RouteCandidate, type RoutePlan, type RouteProvider } from './cheapest-route.js';
import { ROUTE_REQUIREMENTS } from './route-requirements.js';

/** The provider name that asks the gateway to choose. */
export const AUTO_PROVIDER = 'auto';

/** The answer length a call is priced for when it sets no maxTokens. */
const EXPECTED_COMPLETION_TOKENS = 256;
/** At most this many providers are tried for one call. */
const MAX_ROUTE_ATTEMPTS = 3;
/** At most this many reasons are listed in a NO_ROUTE answer. */
const MAX_LISTED_EXCLUSIONS = 50;

/** Failures that are the provider's, so the next candidate may do better. Never the caller's own. */
const FAIL_OVER_ON: ReadonlySet<ErrorCode> = new Set([
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_QUOTA_EXCEEDED',
  'PROVIDER_INVALID_RESPONSE',
  'PROVIDER_AUTH_FAILED',
  'CREDENTIAL_NOT_FOUND',
]);

/** What the answer's `metadata.routing` says. */
export interface RoutingReport {
  chosen: RouteCandidate;
  /** The cheapest candidates considered, in order. */
  candidates: RouteCandidate[];
  /** Candidates tried before the chosen one, and why each failed. */
  failedOver: Array<RouteCandidate & { errorCode: string }>;
}

/**
 * `provider: "auto"`: the cheapest model, among providers the caller has a key for and whose
 * circuit is not open, that meets the call's requirements (model metadata and prices from the
 * catalog); on a provider-side failure, the cheapest of another provider.
 */
@Injectable()
export class AutoRouter {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly credentials: CredentialChecks,
    private readonly listing: ModelListing,
    private readonly circuit: CircuitBreaker,
  ) {}

  /** Runs `call` on the best candidate, then the next ones on provider-side failures; names the route in the result. */
  async run<Result>(
    caller: Caller,
    request: ExecuteRequest,
    call: (routed: ExecuteRequest) => Promise<Result>,
  ): Promise<{ result: Result; routing: RoutingReport }> {
    const plan = await this.plan(caller, request);
    const failedOver: RoutingReport['failedOver'] = [];
    let remaining = plan.candidates;
    while (remaining.length > 0) {
      const [candidate] = remaining;
      const routed = { provider: candidate.provider, operation: request.operation, params: { ...request.params, model: candidate.model } };
      try {
        const result = await call(routed);
        return { result, routing: { chosen: candidate, candidates: plan.candidates.slice(0, 10), failedOver } };
      } catch (error) {
        // A provider failing provider-side is likely failing for all its models: the next try is another provider's.
        remaining = remaining.filter((next) => next.provider !== candidate.provider);
        const canFailOver = error instanceof GatewayError && FAIL_OVER_ON.has(error.code);
        if (!canFailOver || remaining.length === 0 || failedOver.length + 1 >= MAX_ROUTE_ATTEMPTS) throw error;
        failedOver.push({ ...candidate, errorCode: error.code });
      }
    }
    // plan() never answers without candidates.
    throw noRoute(plan);
  }

  async plan(caller: Caller, request: ExecuteRequest): Promise<RoutePlan> {
    if (request.params.model !== undefined) {
      throw GatewayError.validation([{ field: 'params.model', message: 'is chosen by the gateway when provider is "auto"; leave it out' }]);
    }
    const requirements = validated(ROUTE_REQUIREMENTS, request.requirements ?? {}, 'requirements');
    const providers = await Promise.all(this.registry.list().map((adapter) => this.routeProvider(caller, adapter)));
    const maxTokens = request.params.maxTokens;
    const expected = {
      promptTokens: estimatePromptTokens(request.params),
      completionTokens: request.operation === 'embeddings' ? 0 : typeof maxTokens === 'number' ? maxTokens : EXPECTED_COMPLETION_TOKENS,
    };
    const plan = cheapestRoute(providers, request.operation, requirements, expected);
    if (plan.candidates.length === 0) throw noRoute(plan);
    return plan;
  }

  private async routeProvider(caller: Caller, adapter: ProviderAdapter): Promise<RouteProvider> {
    const operations = adapter.operations.map((operation) => operation.name);
    const check = await this.credentials.check(caller, adapter);
    const unusable =
      check.problem !== undefined
        ? `its key could not be checked (${check.problem})`
        : !check.hasCredential
          ? 'no key for this caller'
          : this.circuit.state(adapter.name) === 'open'
            ? 'failing (circuit open)'
            : undefined;
    const models = unusable === undefined ? await this.listing.models(adapter.name, [], check.apiKey) : [];
    return { name: adapter.name, operations, unusable, models };
  }
}

function noRoute(plan: RoutePlan): GatewayError {
  return new GatewayError(
    'NO_ROUTE',
    'No provider this caller can use has a model that meets the requirements; details say what excluded what',
    {
      violations: plan.excluded.slice(0, MAX_LISTED_EXCLUSIONS),
    },
  );
}
