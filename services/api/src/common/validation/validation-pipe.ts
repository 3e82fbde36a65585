import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppException } from '../errors/app-exception';

/** One invalid field of a request, as listed in a 400's `details`. */
export interface FieldError {
  field: string;
  errors: string[];
}

/** Flatten class-validator's tree into `{ field: "a.b", errors: [...] }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const name = typeof error.property === 'string' && error.property !== '' ? error.property : '(body)';
    const field = parent ? `${parent}.${name}` : name;
    if (error.constraints) out.push({ field, errors: Object.values(error.constraints) });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * The global validation: unknown fields are rejected, payloads are transformed into the DTO
 * classes, and failures become 400 VALIDATION_FAILED listing every field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const fields = [...new Set(details.map((d) => d.field))];
      return new AppException('VALIDATION_FAILED', `Request validation failed: ${fields.join(', ') || 'body'}`, {
        details,
      });
    },
  });
}
