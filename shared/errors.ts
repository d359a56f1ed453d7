// The error catalogue: every error a user can meet has a stable code, a plain
// message and what to do next. Codes are a contract (CLI JSON, UI test ids): add, never rename.

export interface ErrorText {
  readonly message: string;
  readonly recovery: string;
}

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: {
    message: 'The request was not in the expected form.',
    recovery: 'Check the values you entered and try again.',
  },
  UNKNOWN_CHANNEL: {
    message: 'The application asked for an operation that does not exist.',
    recovery: 'Update Noctis so that the window and the core are the same version.',
  },
  STUDY_NOT_FOUND: {
    message: 'That study is not in the local store.',
    recovery: 'Refresh the study list; the study may have been removed.',
  },
  INSTANCE_NOT_FOUND: {
    message: 'That image is not in the local store.',
    recovery: 'Refresh the study; if it persists, import the study again.',
  },
  IMPORT_PATH_NOT_FOUND: {
    message: 'The folder or file to import does not exist or cannot be opened.',
    recovery: 'Check the path, that the disc or USB stick is inserted, and that you may read it.',
  },
  IMPORT_NOT_FOUND: {
    message: 'That import is not in the import history.',
    recovery: 'Refresh the import history.',
  },
  NOT_SUPPORTED: {
    message: 'This window cannot do that.',
    recovery: 'Use the desktop app, or type the path instead.',
  },
  STORE_UNAVAILABLE: {
    message: 'The local store could not be opened.',
    recovery: 'Check that the data folder exists, is writable and is not used by another program.',
  },
  UNAUTHORIZED: {
    message: 'This request was refused because it did not come from this Noctis window.',
    recovery: 'Open Noctis again from the link it printed, with its token.',
  },
  DISK_SPACE_LOW: {
    message: 'The disk holding the local store is nearly full, so Noctis stopped taking in studies.',
    recovery: 'Free disk space or move the store to a larger disk; an admin can lower the floor in Settings.',
  },
  DISK_FULL: {
    message: 'The disk filled up during the import. What was fully copied is kept; the rest was not imported.',
    recovery: 'Free disk space, then import the same source again: files already imported are skipped.',
  },
  UI_ERROR: {
    message: 'Something went wrong in this window.',
    recovery: 'Reload the window (Ctrl+R). If it happens again, send the error id to your administrator.',
  },
  INTERNAL: {
    message: 'Something went wrong inside Noctis.',
    recovery: 'Try again. If it happens again, send the error id to your administrator.',
  },
} as const satisfies Record<string, ErrorText>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** What crosses a process boundary when an operation fails. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  recovery: string;
  /** Finds the matching line in the log. */
  errorId: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isErrorCode(v.code) &&
    typeof v.message === 'string' &&
    typeof v.recovery === 'string' &&
    typeof v.errorId === 'string'
  );
}
