import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { ResponseCache } from '../cache/response-cache.js';
import { CachedAnswers } from './cached-answers.js';
import { TracingObserver } from './observers/tracing.observer.js';
import { CredentialsModule } from '@app/credentials';
import { ExecutionLogModule } from '@app/execution-log';
import { LimitsModule } from '@app/limits';
import { ProvidersModule } from '@app/providers';
import { Admission } from './admission.js';
import { AttemptAccounting } from './attempt-accounting.js';
import { ATTEMPT_OBSERVERS, type AttemptObserver } from './attempt-observer.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { ExecuteService } from './execute.service.js';
import { CallLogObserver } from './observers/call-log.observer.js';
import { ExecutionLogObserver } from './observers/execution-log.observer.js';
import { MetricsObserver } from './observers/metrics.observer.js';

/** Every output an attempt feeds: adding one is a class and a line here. */
const OBSERVERS = [CallLogObserver, MetricsObserver, ExecutionLogObserver, TracingObserver];

/** The data plane's one way to call a provider, shared by the execute route and the /v1 surface. */
@Module({})
export class ExecuteModule {
  static register(observability: DynamicModule): DynamicModule {
    return {
      module: ExecuteModule,
      imports: [ProvidersModule, CredentialsModule, LimitsModule, CatalogModule, ExecutionLogModule, observability],
      providers: [
        ExecuteService,
        Admission,
        AttemptAccounting,
        AttemptRecorder,
        ResponseCache,
        CachedAnswers,
        ...OBSERVERS,
        { provide: ATTEMPT_OBSERVERS, inject: OBSERVERS, useFactory: (...observers: AttemptObserver[]) => observers },
      ],
      exports: [ExecuteService, observability],
    };
  }
}
