import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull } from '../../../common/validation/optional.decorator';
import { PLATFORMS, type Platform } from '../../auth.types';

const platform = {
  enum: PLATFORMS,
  default: 'POS_DESKTOP',
  description: 'POS_DESKTOP (default) and KDS_SCREEN sessions last JWT_DEVICE_TTL_SECONDS (12 h)',
};

/** POST /auth/pin-login: the original's PinLoginDto. */
export class PinLoginDto {
  @ApiProperty({ example: 'cmf0branch00000000000000001', description: 'The branch the POS stands in' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  branchId!: string;

  @ApiProperty({ example: 'DB-MGR001', description: 'Unique per org' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  employeeCode!: string;

  @ApiProperty({ example: '1234', minLength: 4, maxLength: 12 })
  @IsString()
  @Matches(/^\d{4,12}$/, { message: 'pin must be 4 to 12 digits' })
  pin!: string;

  @ApiPropertyOptional(platform)
  @OptionalNotNull()
  @IsIn(PLATFORMS)
  platform?: Platform;
}

/** POST /auth/msr-swipe: a badge swipe. */
export class BadgeSwipeDto {
  @ApiProperty({ example: 'CLOUDBADGE:DB-WAIT-4410', description: 'The raw swipe' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  badgeId!: string;

  @ApiPropertyOptional({ description: 'When given, the employee must belong to this branch' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  branchId?: string;

  @ApiPropertyOptional(platform)
  @OptionalNotNull()
  @IsIn(PLATFORMS)
  platform?: Platform;
}

/** POST /auth/enroll-badge: an L4+ user enrols a badge for a user of the same org. */
export class EnrollBadgeDto {
  @ApiProperty({ example: 'cmf0user000000000000000003' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  userId!: string;

  @ApiProperty({ example: 'DB-WAIT-4410', description: 'The badge code, bare or as CLOUDBADGE:<code>' })
  @IsString()
  @Matches(/^(CLOUDBADGE:)?[A-Za-z0-9_-]{1,64}$/, {
    message: 'Badge ID must be alphanumeric (A-Z, 0-9, _, -)',
  })
  badgeId!: string;
}

export class EnrollBadgeResponseDto {
  @ApiProperty({ example: true }) success!: true;
}
