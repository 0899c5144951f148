import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';

export type TraceSampler =
  'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface TracingConfig {
  /** OTLP/HTTP endpoint (spans go to `<endpoint>/v1/traces`); undefined: tracing off. */
  endpoint?: string;
  sampler: TraceSampler;
  /** The ratio of the traceidratio samplers. */
  samplerArg: number;
  serviceName: string;
}

/** OpenTelemetry's standard variables. */
class TracingVariables {
  @IsOptional()
  @IsUrl(HTTP_URL)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

  @IsIn(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
  OTEL_TRACES_SAMPLER = 'parentbased_always_on';

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLER_ARG = 1;

  @IsString()
  @MinLength(1)
  OTEL_SERVICE_NAME = 'integrations-service';
}

export const tracingConfig = configSlice('tracing', TracingVariables, (env): TracingConfig => ({
  endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? undefined : stripTrailingSlash(env.OTEL_EXPORTER_OTLP_ENDPOINT),
  sampler: env.OTEL_TRACES_SAMPLER as TraceSampler,
  samplerArg: env.OTEL_TRACES_SAMPLER_ARG,
  serviceName: env.OTEL_SERVICE_NAME,
}));
