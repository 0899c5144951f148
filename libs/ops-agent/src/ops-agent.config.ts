import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';

/** How the agent reaches and names itself to Opstage. */
export interface OpstageConfig {
  backendUrl: string;
  registrationToken?: string;
  agentTokenFile: string;
  serviceCode: string;
  serviceName: string;
}

export interface OpsAgentConfig {
  /** null: OPSTAGE_BACKEND_URL is unset, the agent is off. */
  opstage: OpstageConfig | null;
  /** Directories `file:` secretRefs of rotateKey may point into. */
  secretDirs: string[];
  /** How long a rotated-out service key stays available to rollbackKey. */
  keyRotationGraceMs: number;
}

class OpsAgentVariables {
  /** Opstage control plane; the ops agent is off when unset. */
  @IsOptional()
  @IsUrl(HTTP_URL)
  OPSTAGE_BACKEND_URL?: string = undefined;

  /** One-time registration token (`opstage_reg_…`), needed only until the agent token is saved. */
  @IsOptional()
  @Matches(/^opstage_reg_\S+$/, { message: 'OPSTAGE_REGISTRATION_TOKEN must look like opstage_reg_…' })
  OPSTAGE_REGISTRATION_TOKEN?: string = undefined;

  /** Where the agent token is kept (mode 0600) so restarts need no new registration token. */
  @IsString()
  @MinLength(1)
  OPSTAGE_AGENT_TOKEN_FILE = './data/opstage-agent-token';

  @Matches(/^[a-z0-9][a-z0-9_-]{0,79}$/, { message: 'OPSTAGE_SERVICE_CODE must match ^[a-z0-9][a-z0-9_-]*$ (at most 80 chars)' })
  OPSTAGE_SERVICE_CODE = 'integrations-service';

  /** Where `file:` secretRefs of rotateKey may point (mounted Kubernetes Secrets), comma-separated absolute directories. */
  @Matches(/^\/[^,]*(,\/[^,]*)*$/, { message: 'OPSTAGE_SECRET_DIRS must be comma-separated absolute directories' })
  OPSTAGE_SECRET_DIRS = '/run/secrets,/var/run/secrets';

  @IsString()
  @MinLength(1)
  OPSTAGE_SERVICE_NAME = 'Integrations Service';

  /** How long a rotated-out service key stays available to rollbackKey. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3_600_000)
  KEY_ROTATION_GRACE_MS = 24 * 3_600_000;
}

export const opsAgentConfig = configSlice('opsAgent', OpsAgentVariables, (env): OpsAgentConfig => ({
  opstage: env.OPSTAGE_BACKEND_URL
    ? {
        backendUrl: stripTrailingSlash(env.OPSTAGE_BACKEND_URL),
        registrationToken: env.OPSTAGE_REGISTRATION_TOKEN,
        agentTokenFile: env.OPSTAGE_AGENT_TOKEN_FILE,
        serviceCode: env.OPSTAGE_SERVICE_CODE,
        serviceName: env.OPSTAGE_SERVICE_NAME,
      }
    : null,
  secretDirs: env.OPSTAGE_SECRET_DIRS.split(',').map((dir) => dir.replace(/\/+$/, '') || '/'),
  keyRotationGraceMs: env.KEY_ROTATION_GRACE_MS,
}));
