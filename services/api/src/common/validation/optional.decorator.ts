import { applyDecorators } from '@nestjs/common';
import { IsOptional, NotEquals, ValidateIf } from 'class-validator';

/**
 * An optional field that may be left out but not sent as `null`: class-validator's @IsOptional
 * skips every check for null too, so `{"rolloutPct": null}` used to reach the database (a 500,
 * or a silently cleared value). Null is a 400 naming the field.
 */
export function OptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    NotEquals(null, { message: '$property must not be null (leave it out instead)' }),
  );
}

/** An optional field where `null` is documented to clear the value (`message`, `scopes`). */
export function OptionalNullable(): PropertyDecorator {
  return IsOptional();
}
