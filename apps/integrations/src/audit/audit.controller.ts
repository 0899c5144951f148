import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RequireRoles } from '@app/auth';
import { AuditLog, type AuditKind } from '@app/ops-agent';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { PageQueryDto } from '../http/query.dto.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['action', 'key_rotation', 'config_drift'] })
  @IsOptional()
  @IsIn(['action', 'key_rotation', 'config_drift'])
  kind?: AuditKind;
}

class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['action', 'key_rotation', 'config_drift'] }) kind: string;
  @ApiProperty({ type: String, nullable: true }) commandId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'rotateKey' }) action: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'usr_operator' }) operatorId: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'Secrets replaced by fingerprints' }) payload: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true }) result: Record<string, unknown> | null;
  @ApiProperty() success: boolean;
  @ApiProperty({ type: String, nullable: true }) errorCode: string | null;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty() createdAt: Date;
}

class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty() total: number;
}

@ApiTags('audit')
@ApiAuthenticated()
@RequireRoles('admin', 'operator')
@Controller('api/integrations/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({ summary: 'Operator actions, key rotations and config drift, newest first (admin or operator role)' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'FORBIDDEN' })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
