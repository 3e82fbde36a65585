import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI description of the error envelope (see error-envelope.ts). */
export class ErrorEnvelopeDto {
  @ApiProperty({ example: 401 }) statusCode!: number;
  @ApiProperty({ example: 'INVALID_CREDENTIALS', description: 'Stable machine-readable error code' }) code!: string;
  @ApiProperty({ example: 'Invalid email or password' }) message!: string;
  @ApiProperty({ example: '5f0c7c1e-4f7e-4a59-9a3b-0f2d7f6f1c11' }) requestId!: string;
  @ApiPropertyOptional({
    description: 'Per-field validation errors and similar',
    example: [{ field: 'email', errors: ['email must be a valid email address'] }],
  })
  details?: unknown;
}
