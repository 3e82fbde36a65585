import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalNotNull, OptionalNullable } from '../../common/validation/optional.decorator';
import type { FeatureFlag, FlagAudit } from '@chefcloud/db';
import { ROLE_LEVELS } from '../../auth/auth.types';

/** Keys as operators write them: `new-checkout`, `PROMOTIONS_ENGINE` (case-sensitive). */
export const FLAG_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class FlagScopesDto {
  @ApiPropertyOptional({
    enum: ROLE_LEVELS,
    isArray: true,
    example: ['L4', 'L5'],
    description: 'Only these role levels',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(ROLE_LEVELS, { each: true })
  roles?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only users of these branches' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  branchIds?: string[];
}

class ReasonDto {
  @ApiPropertyOptional({
    maxLength: 500,
    example: 'Checkout errors spiking',
    description: 'Recorded in the audit trail',
  })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CreateFeatureFlagDto extends ReasonDto {
  @ApiProperty({ example: 'PROMOTIONS_ENGINE', pattern: FLAG_KEY_PATTERN.source })
  @IsString()
  @Matches(FLAG_KEY_PATTERN, {
    message: 'key must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
  })
  key!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: false })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: 100,
    description: 'Share of eligible users (sticky per user); default 100 on create, unchanged on an update',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(100)
  rolloutPct?: number;

  @ApiPropertyOptional({ type: FlagScopesDto, nullable: true, description: 'null: no targeting' })
  @OptionalNullable()
  @ValidateNested()
  @Type(() => FlagScopesDto)
  scopes?: FlagScopesDto | null;

  @ApiPropertyOptional({ default: false, description: 'A flag for every org; platform admins only' })
  @OptionalNotNull()
  @IsBoolean()
  global?: boolean;
}

export class UpdateFeatureFlagDto extends ReasonDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(100)
  rolloutPct?: number;

  @ApiPropertyOptional({ type: FlagScopesDto, nullable: true, description: 'null removes targeting' })
  @OptionalNullable()
  @ValidateNested()
  @Type(() => FlagScopesDto)
  scopes?: FlagScopesDto | null;
}

export class FlagChangeDto extends ReasonDto {}

export class FeatureFlagDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'new-checkout' }) key!: string;
  @ApiProperty({ nullable: true, type: String }) orgId!: string | null;
  @ApiProperty() global!: boolean;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() rolloutPct!: number;
  @ApiProperty({ type: FlagScopesDto, nullable: true }) scopes!: unknown;
  @ApiProperty({ nullable: true, type: String }) createdById!: string | null;
  @ApiProperty({ nullable: true, type: String }) updatedById!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class AuditUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
}

/** The kill switch's answer: the original's `message` beside the killed flag's fields. */
export class KilledFlagDto extends FeatureFlagDto {
  @ApiProperty({ example: 'Feature flag PROMOTIONS_ENGINE has been killed' }) message!: string;
}

export class FlagAuditDto {
  @ApiProperty() id!: string;
  @ApiProperty() flagKey!: string;
  @ApiProperty({ nullable: true, type: String }) orgId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The acting user' }) userId!: string | null;
  @ApiProperty({ enum: ['CREATE', 'UPDATE', 'TOGGLE', 'KILL'] }) action!: string;
  @ApiProperty({ nullable: true }) before!: unknown;
  @ApiProperty({ nullable: true }) after!: unknown;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiPropertyOptional({
    description:
      'true on a global flag shown to an org other than the platform operator: userId, user and reason are withheld',
  })
  redacted?: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: AuditUserDto, nullable: true, description: 'The acting user (null once deleted)' })
  user!: AuditUserDto | null;
}

export class EvaluationDto {
  @ApiProperty() key!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['DISABLED', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'ERROR'] }) reason!: string;
  @ApiPropertyOptional({ enum: ['FLAG_NOT_FOUND', 'PROVIDER_NOT_READY', 'GENERAL'] }) errorCode?: string;
  @ApiPropertyOptional({ description: 'Sticky bucket 0–99 (SPLIT)' }) bucket?: number;
}

export function toFlagDto(f: FeatureFlag): FeatureFlagDto {
  return {
    id: f.id,
    key: f.key,
    orgId: f.orgId,
    global: f.orgId === null,
    description: f.description,
    active: f.active,
    rolloutPct: f.rolloutPct,
    scopes: f.scopes ?? null,
    createdById: f.createdById,
    updatedById: f.updatedById,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

export function toAuditDto(a: FlagAudit & { user?: AuditUserDto | null }): FlagAuditDto {
  return {
    id: a.id,
    flagKey: a.flagKey,
    orgId: a.orgId,
    userId: a.userId,
    action: a.action,
    before: a.before,
    after: a.after,
    reason: a.reason,
    createdAt: a.createdAt,
    user: a.user
      ? { id: a.user.id, email: a.user.email, firstName: a.user.firstName, lastName: a.user.lastName }
      : null,
  };
}
