import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  NO_CONTROL_CHARACTERS,
  NO_CONTROL_CHARACTERS_MESSAGE,
  PageQueryDto,
  TimeRangeQueryDto,
  UserProviderFilterDto,
} from '../../http/query.dto.js';

export class ExecutionsQueryDto extends IntersectionType(PageQueryDto, TimeRangeQueryDto, UserProviderFilterDto) {
  @ApiPropertyOptional({ example: 'chat.completions' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_MESSAGE)
  operation?: string;

  @ApiPropertyOptional({ description: 'One call by its x-request-id (with from/to around its time, a lookup is an index probe)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_MESSAGE)
  requestId?: string;

  @ApiPropertyOptional({ type: Boolean, example: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: "success must be 'true' or 'false'" })
  success?: boolean;
}
