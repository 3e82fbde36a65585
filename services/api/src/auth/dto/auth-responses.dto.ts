import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_ROLES, PLATFORMS, ROLE_LEVELS } from '../auth.types';

export class AuthUserDto {
  @ApiProperty({ example: 'cmf0user000000000000000001' }) id!: string;
  @ApiProperty({ example: 'owner@demo-bistro.test' }) email!: string;
  @ApiProperty({ example: 'Olivia' }) firstName!: string;
  @ApiProperty({ example: 'Owner' }) lastName!: string;
  @ApiProperty({ enum: ROLE_LEVELS, example: 'L5' }) roleLevel!: string;
  @ApiProperty({
    enum: JOB_ROLES,
    nullable: true,
    example: 'OWNER',
    description: 'What the person does; the original web backoffice picks the workspace from it',
  })
  jobRole!: string | null;
  @ApiProperty({ example: 'cmf0org0000000000000000001' }) orgId!: string;
  @ApiProperty({ example: 'cmf0branch00000000000000001', nullable: true, type: String }) branchId!: string | null;
}

export class SessionSummaryDto {
  @ApiProperty({ example: 'cmf0sess000000000000000001' }) id!: string;
  @ApiProperty({ enum: PLATFORMS, example: 'WEB_BACKOFFICE' }) platform!: string;
  @ApiProperty({ example: '2026-11-25T20:00:00.000Z' }) expiresAt!: Date;
}

export class LoginResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) access_token!: string;
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ example: 28800, description: 'Seconds until the token expires' }) expires_in!: number;
  @ApiProperty({ type: AuthUserDto }) user!: AuthUserDto;
  @ApiProperty({ type: SessionSummaryDto }) session!: SessionSummaryDto;
}

export class MeResponseDto {
  @ApiProperty({ type: AuthUserDto }) user!: AuthUserDto;
  @ApiProperty({ type: SessionSummaryDto }) session!: SessionSummaryDto;
}

export class ActiveSessionDto {
  @ApiProperty({ example: 'cmf0sess000000000000000001' }) id!: string;
  @ApiProperty({ enum: PLATFORMS }) platform!: string;
  @ApiPropertyOptional({ example: '203.0.113.7', nullable: true, type: String }) ip!: string | null;
  @ApiPropertyOptional({ example: 'curl/8.5.0', nullable: true, type: String }) userAgent!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() expiresAt!: Date;
  @ApiProperty({ description: 'True for the session of the token making this request' }) current!: boolean;
}

export class SessionsResponseDto {
  @ApiProperty({ type: [ActiveSessionDto] }) sessions!: ActiveSessionDto[];
}

export class LogoutAllResponseDto {
  @ApiProperty({ example: 3 }) revokedSessions!: number;
}
