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
  AUTH_REQUIRED: {
    message: 'You need to sign in to do that.',
    recovery: 'Sign in with your account.',
  },
  PERMISSION_DENIED: {
    message: 'Your account is not allowed to do that.',
    recovery: 'Ask an administrator if your role should allow it.',
  },
  LOGIN_FAILED: {
    message: 'The username or password is wrong.',
    recovery: 'Check both and try again; after 5 failures the account is locked for 15 minutes.',
  },
  ACCOUNT_LOCKED: {
    message: 'This account is locked after too many failed sign-ins.',
    recovery: 'Wait 15 minutes, or ask an administrator to unlock it.',
  },
  ACCOUNT_DISABLED: {
    message: 'This account is disabled.',
    recovery: 'Ask an administrator to enable it again.',
  },
  SESSION_LOCKED: {
    message: 'The screen is locked.',
    recovery: 'Enter your password to unlock it.',
  },
  SESSION_EXPIRED: {
    message: 'Your session has ended.',
    recovery: 'Sign in again.',
  },
  PASSWORD_CHANGE_REQUIRED: {
    message: 'You must choose a new password before going on.',
    recovery: 'Change your password.',
  },
  PASSWORD_POLICY: {
    message: 'That password is not allowed.',
    recovery: 'Use at least 12 characters, not containing your username.',
  },
  SETUP_DONE: {
    message: 'The first administrator already exists.',
    recovery: 'Sign in, or ask an administrator for an account.',
  },
  USER_EXISTS: {
    message: 'An account with that username already exists.',
    recovery: 'Choose another username (usernames ignore case).',
  },
  USER_NOT_FOUND: {
    message: 'That account does not exist.',
    recovery: 'Refresh the list of users.',
  },
  USER_INVALID: {
    message: 'The account is missing something its role needs.',
    recovery: 'Radiologists, technologists and facility users need a facility; radiologists and technologists a license number.',
  },
  LAST_ADMIN: {
    message: 'That would leave no active administrator.',
    recovery: 'Make another account an administrator first.',
  },
  FACILITY_NOT_FOUND: {
    message: 'That facility does not exist.',
    recovery: 'Refresh the list of facilities.',
  },
  FACILITY_EXISTS: {
    message: 'A facility with that name already exists, or one of its institutions belongs to another facility.',
    recovery: 'Choose another name, or move the institution from the other facility first.',
  },
  AUDIT_CHAIN_BROKEN: {
    message: 'The audit trail has been altered: an event was edited, deleted, inserted or moved.',
    recovery: 'Treat this as a security incident: keep a copy of the data folder and tell your security officer.',
  },
  NODE_NOT_FOUND: {
    message: 'That DICOM node does not exist.',
    recovery: 'Refresh the list of DICOM nodes.',
  },
  NODE_EXISTS: {
    message: 'A DICOM node with that AE title, host and port already exists.',
    recovery: 'Edit the existing node instead.',
  },
  SEND_NOT_FOUND: {
    message: 'That send job is not in the send history.',
    recovery: 'Refresh the list of send jobs.',
  },
  NOTHING_TO_SEND: {
    message: 'There is nothing to send: the study, series or failed instances are not in the local store.',
    recovery: 'Refresh the study; if it was removed, import it again.',
  },
  DICOM_NETWORK: {
    message: 'The DICOM node could not be reached or refused the association.',
    recovery: 'Check its AE title, host and port (Test sends a C-ECHO), that it knows this workstation\'s AE title, and that no firewall blocks the port.',
  },
  RECEIVER_UNAVAILABLE: {
    message: 'The DICOM receiver could not start.',
    recovery: 'Choose another port in Settings, or stop the program using this one.',
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
