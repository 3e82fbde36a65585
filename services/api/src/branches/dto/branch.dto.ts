import { ApiProperty } from '@nestjs/swagger';
import type { Branch } from '@chefcloud/db';

export class BranchDto {
  @ApiProperty({ example: 'cmf0branch00000000000000001' }) id!: string;
  @ApiProperty({ example: 'Demo Bistro Downtown' }) name!: string;
  @ApiProperty({ example: 'UTC' }) timezone!: string;
}

export function toBranchDto(b: Branch): BranchDto {
  return { id: b.id, name: b.name, timezone: b.timezone };
}
