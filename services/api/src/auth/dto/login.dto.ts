import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull } from '../../common/validation/optional.decorator';
import { PLATFORMS, type Platform } from '../auth.types';

export class LoginDto {
  @ApiProperty({ example: 'owner@demo-bistro.test', maxLength: 254 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'your-password', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({
    enum: PLATFORMS,
    default: 'WEB_BACKOFFICE',
    description:
      'POS_DESKTOP and KDS_SCREEN sessions last JWT_DEVICE_TTL_SECONDS (12 h); others JWT_TTL_SECONDS (8 h).',
  })
  @OptionalNotNull()
  @IsIn(PLATFORMS)
  platform?: Platform;
}
