import { randomUUID } from 'node:crypto';
import { ERROR_CATALOGUE, type ErrorCode, type ErrorInfo } from '../../shared/errors';

/** The one error type core throws on purpose; the API layer turns it into ErrorInfo. */
export class NoctisError extends Error {
  readonly code: ErrorCode;
  /** Details for the log, never shown to the user as such. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(ERROR_CATALOGUE[code].message, options);
    this.name = 'NoctisError';
    this.code = code;
    this.details = details;
  }
}

export function newErrorId(): string {
  return randomUUID();
}

export function toErrorInfo(err: unknown, errorId: string): ErrorInfo {
  const code: ErrorCode = err instanceof NoctisError ? err.code : 'INTERNAL';
  const { message, recovery } = ERROR_CATALOGUE[code];
  return { code, message, recovery, errorId };
}
