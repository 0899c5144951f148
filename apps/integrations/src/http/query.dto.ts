import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxDate, MaxLength, Min, MinDate } from 'class-validator';

/** Text filters go into SQL parameters: PostgreSQL refuses NUL in text, and no id has control characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
const NO_CONTROL_CHARACTERS_MESSAGE = { message: '$property must not contain control characters' };
/** The range PostgreSQL's timestamptz and JavaScript's Date share comfortably. */
const EARLIEST = new Date('0001-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59Z');
const DATE_RANGE_MESSAGE = { message: '$property must be between years 1 and 9999' };

export { NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_MESSAGE };

/** `limit` / `offset` paging shared by the list endpoints. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset = 0;
}

/** A `[from, to)` time range in ISO 8601. */
export class TimeRangeQueryDto {
  @ApiPropertyOptional({ description: 'Inclusive lower bound (ISO 8601)', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, DATE_RANGE_MESSAGE)
  @MaxDate(LATEST, DATE_RANGE_MESSAGE)
  from?: Date;

  @ApiPropertyOptional({ description: 'Exclusive upper bound (ISO 8601)', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, DATE_RANGE_MESSAGE)
  @MaxDate(LATEST, DATE_RANGE_MESSAGE)
  to?: Date;
}

/** Narrowing by user and provider, within the caller's scope. */
export class UserProviderFilterDto {
  @ApiPropertyOptional({ description: 'Only this user (within the caller’s organization)', example: 'user-42' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_MESSAGE)
  userId?: string;

  @ApiPropertyOptional({ example: 'openai' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_MESSAGE)
  provider?: string;
}
