import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { CredentialScope } from '@app/credentials';

export class PutCredentialDto {
  @ApiProperty({ description: 'The provider API key. Stored encrypted; never shown again.', example: 'sk-proj-…' })
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  @Matches(/^\S+$/, { message: 'apiKey must not contain whitespace' })
  apiKey: string;

  @ApiPropertyOptional({ enum: ['user', 'org'], default: 'user', description: "'org' shares the key with the caller's organization (admins only)" })
  @IsOptional()
  @IsIn(['user', 'org'])
  scope: CredentialScope = 'user';
}

export class CredentialScopeQueryDto {
  @ApiPropertyOptional({ enum: ['user', 'org'], default: 'user' })
  @IsOptional()
  @IsIn(['user', 'org'])
  scope: CredentialScope = 'user';
}

export class StoredCredentialDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ enum: ['user', 'org'], example: 'user' }) scope: CredentialScope;
  @ApiProperty({ example: 'sk-proj-…abcd', description: 'Prefix and last four characters only' }) fingerprint: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) lastUsedAt: Date | null;
}

export class StoredCredentialsDto {
  @ApiProperty({ type: [StoredCredentialDto] }) items: StoredCredentialDto[];
}
