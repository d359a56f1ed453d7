// Local accounts: creation with the rules of each role, sign-in with lockout after repeated
// failures, password changes. Accounts are disabled, never deleted: the audit trail names them.
import {
  FACILITY_REQUIRED_ROLES,
  LICENSE_REQUIRED_ROLES,
  PASSWORD_POLICY,
  isRole,
  passwordProblem,
  type Role,
  type UserChange,
  type UserRow,
} from '../../../shared/auth';
import { NoctisError } from '../errors';
import type { Db } from '../store/db';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords';

interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  role: string;
  facility_id: number | null;
  facility_name: string | null;
  license_number: string;
  specialization: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  locked_until: string | null;
  created_at: string;
  last_login_at: string | null;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
  facilityId?: number | null;
  licenseNumber?: string;
  specialization?: string;
  /** Admin-created accounts must choose their own password at first login. */
  mustChangePassword: boolean;
}

export interface UserEdit {
  role?: Role;
  displayName?: string;
  facilityId?: number | null;
  licenseNumber?: string;
  specialization?: string;
}

export type LoginResult =
  | { ok: true; user: UserRow }
  | { ok: false; code: 'LOGIN_FAILED' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED'; user?: UserRow; lockedNow?: boolean };

const MINUTE_MS = 60_000;

function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

function toRow(r: UserRecord, now = Date.now()): UserRow {
  const locked = r.locked_until !== null && Date.parse(r.locked_until) > now;
  return {
    userId: r.id,
    username: r.username,
    displayName: r.display_name,
    role: isRole(r.role) ? r.role : 'facility_user',
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    licenseNumber: r.license_number,
    specialization: r.specialization,
    disabled: r.disabled === 1,
    lockedUntil: locked ? r.locked_until : null,
    mustChangePassword: r.must_change_password === 1,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  };
}

/** What a role needs (errors) and what it should have (warnings). */
export function checkAccount(account: { role: Role; facilityId: number | null; licenseNumber: string; specialization: string }): string[] {
  const missing: string[] = [];
  if (FACILITY_REQUIRED_ROLES.includes(account.role) && account.facilityId === null) missing.push('facility');
  if (LICENSE_REQUIRED_ROLES.includes(account.role) && !account.licenseNumber) missing.push('license number');
  if (missing.length > 0) throw new NoctisError('USER_INVALID', { role: account.role, missing });
  return account.role === 'radiologist' && !account.specialization ? ['A specialization is suggested for radiologists.'] : [];
}

function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new NoctisError('PASSWORD_POLICY', { problem });
}

export function createAccounts(db: Db, facilityExists: (facilityId: number) => boolean) {
  const select = `SELECT u.*, f.name AS facility_name FROM users u LEFT JOIN facilities f ON f.id = u.facility_id`;
  const all = db.prepare<[], UserRecord>(`${select} ORDER BY u.username_key`);
  const byId = db.prepare<[number], UserRecord>(`${select} WHERE u.id = ?`);
  const byKey = db.prepare<[string], UserRecord>(`${select} WHERE u.username_key = ?`);
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  const activeAdmins = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
  const insert = db.prepare(
    `INSERT INTO users (username, username_key, display_name, role, facility_id, license_number, specialization,
       password_hash, must_change_password, created_at, updated_at)
     VALUES (@username, @username_key, @display_name, @role, @facility_id, @license_number, @specialization,
       @password_hash, @must_change_password, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE users SET role = @role, display_name = @display_name, facility_id = @facility_id,
       license_number = @license_number, specialization = @specialization, updated_at = @now WHERE id = @id`,
  );
  const setDisabled = db.prepare<[number, string, number]>('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?');
  const setPassword = db.prepare<[string, number, string, number]>(
    'UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?',
  );
  const clearLock = db.prepare<[string, number]>('UPDATE users SET locked_until = NULL, updated_at = ? WHERE id = ?');
  const clearFailures = db.prepare<[number]>('DELETE FROM login_failures WHERE user_id = ?');
  const addFailure = db.prepare<[number, string]>('INSERT INTO login_failures (user_id, at) VALUES (?, ?)');
  const recentFailures = db.prepare<[number, string], { n: number }>('SELECT count(*) AS n FROM login_failures WHERE user_id = ? AND at >= ?');
  const lock = db.prepare<[string, string, number]>('UPDATE users SET locked_until = ?, updated_at = ? WHERE id = ?');
  const loggedIn = db.prepare<[string, number]>('UPDATE users SET last_login_at = ? WHERE id = ?');

  const record = (userId: number): UserRecord => {
    const r = byId.get(userId);
    if (!r) throw new NoctisError('USER_NOT_FOUND', { userId });
    return r;
  };
  const checkFacility = (facilityId: number | null | undefined) => {
    if (facilityId !== null && facilityId !== undefined && !facilityExists(facilityId)) throw new NoctisError('FACILITY_NOT_FOUND', { facilityId });
  };
  /** Refuses a change that would leave no enabled admin (nobody could manage accounts any more). */
  const keepAnAdmin = (before: UserRecord, stillAdmin: boolean) => {
    if (before.role === 'admin' && before.disabled === 0 && !stillAdmin && (activeAdmins.get()?.n ?? 0) <= 1) {
      throw new NoctisError('LAST_ADMIN', { userId: before.id });
    }
  };

  /** Counts a failure; the fifth within the window locks the account. Returns whether it locked now. */
  const fail = db.transaction((userId: number, now: number): boolean => {
    addFailure.run(userId, new Date(now).toISOString());
    const since = new Date(now - PASSWORD_POLICY.failureWindowMinutes * MINUTE_MS).toISOString();
    if ((recentFailures.get(userId, since)?.n ?? 0) < PASSWORD_POLICY.maxFailures) return false;
    lock.run(new Date(now + PASSWORD_POLICY.lockoutMinutes * MINUTE_MS).toISOString(), new Date(now).toISOString(), userId);
    clearFailures.run(userId);
    return true;
  });

  return {
    count: (): number => count.get()?.n ?? 0,
    list: (): UserRow[] => all.all().map((r) => toRow(r)),
    get: (userId: number): UserRow => toRow(record(userId)),
    findByUsername: (username: string): UserRow | undefined => {
      const r = byKey.get(usernameKey(username));
      return r ? toRow(r) : undefined;
    },

    async create(user: NewUser): Promise<UserChange> {
      checkPassword(user.password, user.username);
      checkFacility(user.facilityId);
      const account = {
        role: user.role,
        facilityId: user.facilityId ?? null,
        licenseNumber: user.licenseNumber ?? '',
        specialization: user.specialization ?? '',
      };
      const warnings = checkAccount(account);
      if (byKey.get(usernameKey(user.username))) throw new NoctisError('USER_EXISTS', { username: user.username });
      const passwordHash = await hashPassword(user.password);
      let id: number;
      try {
        id = Number(
          insert.run({
            username: user.username.trim(),
            username_key: usernameKey(user.username),
            display_name: user.displayName ?? '',
            role: account.role,
            facility_id: account.facilityId,
            license_number: account.licenseNumber,
            specialization: account.specialization,
            password_hash: passwordHash,
            must_change_password: user.mustChangePassword ? 1 : 0,
            now: new Date().toISOString(),
          }).lastInsertRowid,
        );
      } catch (err) {
        // Another process created the same username while the hash was computed.
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new NoctisError('USER_EXISTS', { username: user.username });
        throw err;
      }
      return { user: toRow(record(id)), warnings };
    },

    update(userId: number, edit: UserEdit): UserChange {
      const before = record(userId);
      checkFacility(edit.facilityId);
      const next = {
        role: edit.role ?? toRow(before).role,
        displayName: edit.displayName ?? before.display_name,
        facilityId: edit.facilityId === undefined ? before.facility_id : edit.facilityId,
        licenseNumber: edit.licenseNumber ?? before.license_number,
        specialization: edit.specialization ?? before.specialization,
      };
      const warnings = checkAccount(next);
      keepAnAdmin(before, next.role === 'admin');
      update.run({
        id: userId,
        role: next.role,
        display_name: next.displayName,
        facility_id: next.facilityId,
        license_number: next.licenseNumber,
        specialization: next.specialization,
        now: new Date().toISOString(),
      });
      return { user: toRow(record(userId)), warnings };
    },

    setDisabled(userId: number, disabled: boolean): UserChange {
      const before = record(userId);
      if (disabled) keepAnAdmin(before, false);
      setDisabled.run(disabled ? 1 : 0, new Date().toISOString(), userId);
      return { user: toRow(record(userId)), warnings: [] };
    },

    unlock(userId: number): UserChange {
      record(userId);
      clearLock.run(new Date().toISOString(), userId);
      clearFailures.run(userId);
      return { user: toRow(record(userId)), warnings: [] };
    },

    /** Sets a password; `mustChange`: the user must choose another at the next sign-in. */
    async setPassword(userId: number, password: string, mustChange: boolean): Promise<UserChange> {
      const before = record(userId);
      checkPassword(password, before.username);
      setPassword.run(await hashPassword(password), mustChange ? 1 : 0, new Date().toISOString(), userId);
      return { user: toRow(record(userId)), warnings: [] };
    },

    /** Checks a password without counting anything (the lock screen counts its own failures). */
    async checkPassword(userId: number, password: string): Promise<boolean> {
      return verifyPassword(password, record(userId).password_hash);
    },

    /**
     * A sign-in attempt. A locked account is refused before its password is checked (so guessing
     * goes nowhere while locked); a disabled one only once the password was right, so that the
     * answer does not tell a guesser which accounts exist.
     */
    async login(username: string, password: string, now = Date.now()): Promise<LoginResult> {
      const r = byKey.get(usernameKey(username));
      if (!r) {
        await verifyPassword(password, DUMMY_HASH); // same time as a real check
        return { ok: false, code: 'LOGIN_FAILED' };
      }
      if (r.locked_until !== null && Date.parse(r.locked_until) > now) return { ok: false, code: 'ACCOUNT_LOCKED', user: toRow(r, now) };
      if (!(await verifyPassword(password, r.password_hash))) {
        const lockedNow = fail(r.id, now);
        return { ok: false, code: lockedNow ? 'ACCOUNT_LOCKED' : 'LOGIN_FAILED', user: toRow(record(r.id), now), lockedNow };
      }
      if (r.disabled === 1) return { ok: false, code: 'ACCOUNT_DISABLED', user: toRow(r, now) };
      clearFailures.run(r.id);
      if (r.locked_until !== null) clearLock.run(new Date(now).toISOString(), r.id);
      loggedIn.run(new Date(now).toISOString(), r.id);
      return { ok: true, user: toRow(record(r.id), now) };
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
