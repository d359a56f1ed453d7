// Roles, permissions and the password policy: data that the core enforces on every call and the
// renderer reads to hide what a role cannot do. A contract: add roles and permissions, never rename.

export const ROLES = ['admin', 'radiologist', 'technologist', 'facility_user'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Search and open studies (facility_user: of their own facility only). */
  'studies.view',
  /** Make and keep measurements. */
  'studies.measure',
  /** Export images and studies out of the store. */
  'studies.export',
  /** Import files, folders, discs. */
  'import',
  /** Send studies to DICOM nodes. */
  'send',
  /** Create and edit accounts, reset passwords, unlock. */
  'users.manage',
  /** Create facilities and map institutions to them. */
  'facilities.manage',
  /** Read and export the audit trail. */
  'audit.view',
  /** Change workstation settings. */
  'settings.manage',
  /** The system health panel. */
  'health.view',
  /** The log viewer (logs hold paths and identifiers). */
  'logs.view',
  /** See the DICOM nodes and test them (C-ECHO). */
  'nodes.view',
  /** Add, edit and remove DICOM nodes. */
  'nodes.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Least privilege: an admin runs the workstation but does not read studies (an admin who also
 * reads has a second, radiologist account); a facility_user sees one facility's studies only.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['users.manage', 'facilities.manage', 'audit.view', 'settings.manage', 'health.view', 'logs.view', 'nodes.view', 'nodes.manage'],
  radiologist: ['studies.view', 'studies.measure', 'studies.export'],
  technologist: ['studies.view', 'import', 'send', 'health.view', 'nodes.view'],
  facility_user: ['studies.view'],
};

/** Roles that only ever see the studies of their own facility (filtered in SQL). */
export const FACILITY_SCOPED_ROLES: readonly Role[] = ['facility_user'];

/** Roles whose accounts must name a facility, and those that need a license number. */
export const FACILITY_REQUIRED_ROLES: readonly Role[] = ['radiologist', 'technologist', 'facility_user'];
export const LICENSE_REQUIRED_ROLES: readonly Role[] = ['radiologist', 'technologist'];

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const PASSWORD_POLICY = {
  minLength: 12,
  maxLength: 256,
  /** Failed logins within the window that lock the account, and for how long. */
  maxFailures: 5,
  failureWindowMinutes: 15,
  lockoutMinutes: 15,
} as const;

/** Why a password is refused, or undefined when it passes the policy. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < PASSWORD_POLICY.minLength) return `at least ${PASSWORD_POLICY.minLength} characters`;
  if (password.length > PASSWORD_POLICY.maxLength) return `at most ${PASSWORD_POLICY.maxLength} characters`;
  if (username && password.trim().toLowerCase().includes(username.trim().toLowerCase())) return 'must not contain the username';
  return undefined;
}

export interface UserSummary {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  facilityId: number | null;
  facilityName: string | null;
}

export interface UserRow extends UserSummary {
  licenseNumber: string;
  specialization: string;
  disabled: boolean;
  /** Locked out after failed logins until this time (ISO), else null. */
  lockedUntil: string | null;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** The signed-in session of this window (Electron window or browser tab). */
export interface SessionInfo {
  user: UserSummary;
  permissions: Permission[];
  /** Idle too long: every call but unlock, logout and status is refused until unlocked. */
  locked: boolean;
  /** An admin set the password: only changePassword (and logout) work until it is changed. */
  mustChangePassword: boolean;
  idleLockSeconds: number;
  /** The absolute limit: the session ends then, active or not. */
  expiresAt: string;
}

export interface AuthStatus {
  /** No account exists yet: the first run creates the first admin. */
  setupRequired: boolean;
  session: SessionInfo | null;
}

export interface FacilityRow {
  facilityId: number;
  name: string;
  /** InstitutionName values (as in the files) whose studies belong to this facility. */
  institutions: string[];
  createdAt: string;
}

export interface UserChange {
  user: UserRow;
  /** Advice that does not block the change (e.g. a radiologist without a specialization). */
  warnings: string[];
}
