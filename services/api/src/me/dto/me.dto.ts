import { ApiProperty } from '@nestjs/swagger';
import { JOB_ROLES, ROLE_LEVELS } from '../../auth/auth.types';

export class MeOrgDto {
  @ApiProperty({ example: 'cmf0org0000000000000000001' }) id!: string;
  @ApiProperty({ example: 'Demo Bistro' }) name!: string;
  @ApiProperty({ example: 'demo-bistro' }) slug!: string;
}

export class MeBranchDto {
  @ApiProperty({ example: 'cmf0branch00000000000000001' }) id!: string;
  @ApiProperty({ example: 'Demo Bistro Downtown' }) name!: string;
  @ApiProperty({ example: 'UTC' }) timezone!: string;
}

export class MeEmployeeProfileDto {
  @ApiProperty({ nullable: true, type: String, example: 'DB-MGR001' }) employeeCode!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Always null: badges are stored as keyed hashes, never in clear (see badgeEnrolled)',
  })
  badgeId!: null;
  @ApiProperty({ description: 'A badge is enrolled for this user' }) badgeEnrolled!: boolean;
  @ApiProperty({ description: 'A POS PIN is set for this user' }) pinSet!: boolean;
}

/** GET /me: the signed-in user in the original ChefCloud's shape (what its web backoffice reads). */
export class CurrentUserProfileDto {
  @ApiProperty({ example: 'cmf0user000000000000000001' }) id!: string;
  @ApiProperty({ example: 'owner@demo-bistro.test' }) email!: string;
  @ApiProperty({ example: 'Olivia' }) firstName!: string;
  @ApiProperty({ example: 'Owner' }) lastName!: string;
  @ApiProperty({ enum: ROLE_LEVELS, example: 'L5' }) roleLevel!: string;
  @ApiProperty({ enum: JOB_ROLES, nullable: true, example: 'OWNER' }) jobRole!: string | null;
  @ApiProperty() orgId!: string;
  @ApiProperty({ nullable: true, type: String }) branchId!: string | null;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ type: MeOrgDto }) org!: MeOrgDto;
  @ApiProperty({ type: MeBranchDto, nullable: true }) branch!: MeBranchDto | null;
  @ApiProperty({ type: MeEmployeeProfileDto, nullable: true }) employeeProfile!: MeEmployeeProfileDto | null;
}
