export { opsAgentConfig, type OpsAgentConfig, type OpstageConfig } from './ops-agent.config.js';
export { type AuditKind } from './audit/audit-entry.entity.js';
export { AuditLog } from './audit/audit-log.js';
export { OPS_AGENT_MIGRATIONS, OpsAgentModule } from './ops-agent.module.js';
export { OpsAgentService } from './ops-agent.service.js';
