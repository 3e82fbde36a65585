import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Where the database schema stands against the migrations this build ships. */
export class SchemaStateDto {
  @ApiProperty({ enum: ['current', 'behind', 'unknown'], example: 'current' }) state!: string;
  @ApiProperty({ type: 'integer', example: 5, description: 'Migrations applied' }) applied!: number;
  @ApiProperty({ type: String, nullable: true, example: '20261126092100_validate_maintenance_window_order_check' })
  latest!: string | null;
  @ApiProperty({ type: [String], description: 'Shipped migrations not applied yet' }) pending!: string[];
  @ApiPropertyOptional({ type: [String], description: 'Failed migrations to resolve (npm run db:resolve)' })
  failed?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Applied migrations this build does not ship (rollback)' })
  unknown?: string[];
  @ApiPropertyOptional({
    type: [String],
    description: 'Tables (`users`) or columns (`sessions.last_activity_at`) this build maps that do not exist',
  })
  missing?: string[];
  @ApiPropertyOptional({ type: [String], description: "Privileges the API's role lacks (`users: SELECT, UPDATE`)" })
  denied?: string[];
}

/** The original's `services` of a health answer. */
export class HealthServicesDto {
  @ApiProperty({ enum: ['ok', 'down'], example: 'ok' }) database!: string;
}

/** GET /api/health: readiness (200 ok, 503 unavailable with the same shape). */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' }) status!: string;
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) db!: string;
  @ApiProperty({ type: SchemaStateDto }) schema!: SchemaStateDto;
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiPropertyOptional({ example: '3f2c1a9b8d7e', description: 'The deployed commit (RENDER_GIT_COMMIT), when known' })
  commit?: string;
  @ApiProperty({ type: 'integer', example: 42 }) uptimeSeconds!: number;
  @ApiPropertyOptional({ description: 'Why the database check failed' }) error?: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:00:00.000Z', description: 'When this answer was made' })
  timestamp!: string;
  @ApiProperty({ example: 42.137, description: "Seconds since the process started, with fractions (the original's)" })
  uptime!: number;
  @ApiProperty({ type: HealthServicesDto }) services!: HealthServicesDto;
}

/** GET /api/health/live: liveness. */
export class LivenessDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status!: string;
  @ApiProperty({ type: 'integer', example: 3 }) uptimeSeconds!: number;
}
