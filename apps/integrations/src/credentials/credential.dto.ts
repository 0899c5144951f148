import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { CredentialScope } from '@app/credentials';

export class PutCredentialDto {
  @ApiProperty({ description: 'The provider API key. Stored encrypted; never shown again.', example: 'sk-proj-…' })
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  // Printable ASCII without spaces: every provider's key format, and nothing that can break a header, a log line or the fingerprint.
  @Matches(/^[\x21-\x7E]+$/, { message: 'apiKey must be printable ASCII without whitespace or control characters' })
  apiKey: string;

  @ApiPropertyOptional({
    enum: ['user', 'org'],
    default: 'user',
    description: "'org' shares the key with the caller's organization (admins only)",
  })
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
