import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull, OptionalNullable } from '../../common/validation/optional.decorator';
import type { MaintenanceWindow } from '@chefcloud/db';
import { KeysetPageQueryDto } from '../../common/pagination/pagination.dto';
import { IsoDateTime } from '../../common/validation/iso-date-time.decorator';

export class CreateMaintenanceWindowDto {
  @ApiProperty({ example: '2026-11-26T02:00:00.000Z' })
  @IsoDateTime('startsAt')
  startsAt!: Date;

  @ApiProperty({ example: '2026-11-26T02:30:00.000Z', description: 'Must be after startsAt' })
  @IsoDateTime('endsAt')
  endsAt!: Date;

  @ApiPropertyOptional({
    example: 'Menu migration: changes are paused for 30 minutes',
    maxLength: 500,
    nullable: true,
    type: String,
    description: 'null: no message',
  })
  @OptionalNullable()
  @IsString()
  @MaxLength(500)
  message?: string | null;

  @ApiPropertyOptional({ default: true, description: 'Refuse POST/PUT/PATCH/DELETE while the window is in force' })
  @OptionalNotNull()
  @IsBoolean()
  blockWrites?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'A window for every org; platform admins only (PLATFORM_ADMIN_ORG_SLUG)',
  })
  @OptionalNotNull()
  @IsBoolean()
  global?: boolean;
}

export class UpdateMaintenanceWindowDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsoDateTime('startsAt')
  startsAt?: Date;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsoDateTime('endsAt')
  endsAt?: Date;

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, description: 'null clears the message' })
  @OptionalNullable()
  @IsString()
  @MaxLength(500)
  message?: string | null;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  blockWrites?: boolean;
}

export class ListMaintenanceQueryDto extends KeysetPageQueryDto {
  @ApiPropertyOptional({ description: 'Only windows still in force after this instant' })
  @OptionalNotNull()
  @IsoDateTime('from')
  from?: Date;

  @ApiPropertyOptional({ description: 'Only windows starting before this instant' })
  @OptionalNotNull()
  @IsoDateTime('to')
  to?: Date;
}

export class MaintenanceWindowDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a global window' }) orgId!: string | null;
  @ApiProperty() global!: boolean;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty() blockWrites!: boolean;
  @ApiProperty({ nullable: true, type: String }) createdById!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

/** The deprecated /ops/maintenance/list envelope. Paged by cursor, nothing is counted: `page` and `total` are null. */
export class MaintenancePageDto {
  @ApiProperty({ type: [MaintenanceWindowDto] }) items!: MaintenanceWindowDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when paged by cursor' }) page!: number | null;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when paged by cursor (nothing is counted)' })
  total!: number | null;
}

export function toWindowDto(w: MaintenanceWindow): MaintenanceWindowDto {
  return {
    id: w.id,
    orgId: w.orgId,
    global: w.orgId === null,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    message: w.message,
    blockWrites: w.blockWrites,
    createdById: w.createdById,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}
