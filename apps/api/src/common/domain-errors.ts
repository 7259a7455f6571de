/**
 * The errors services throw. Each has a stable code that clients can branch on; the HTTP status
 * and the problem document (RFC 9457) are decided in one place, problem-details.ts.
 */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  dependency_unavailable: 503,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

/** One refused field: its path (`lines.0.sku`, or `input` for the whole) and why. */
export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    /** For validation_failed: every refused field. */
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule; `errors` names each field. */
export class ValidationError extends DomainError {
  constructor(errors: readonly FieldError[]) {
    super('validation_failed', errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors);
  }

  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(errors: readonly FieldError[]) {
    super('conflict', errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A store the route needs is not answering; the client may retry after `retryAfterSeconds`. */
export class UnavailableError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('dependency_unavailable', message);
  }
}
