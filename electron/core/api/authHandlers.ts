// Handlers for signing in and out, the lock screen, accounts and facilities. Every change to who
// may do what is audited (PS3.15: User Authentication, Security Alert).
import type { SessionInfo } from '../../../shared/auth';
import type { Principal } from '../auth/access';
import type { Accounts, LoginResult } from '../auth/accounts';
import { actorOf } from '../auth/actor';
import type { Facilities } from '../auth/facilities';
import type { Connection, Session, Sessions } from '../auth/sessions';
import type { AuditRecord, AuditTrail } from '../audit/types';
import { NoctisError } from '../errors';
import type { Logger } from '../log/logger';
import type { CallContext, HandlerTable } from './handlers';

export interface AuthServices {
  accounts: Accounts;
  facilities: Facilities;
  sessions: Sessions;
  audit: AuditTrail;
  log: Logger;
}

type AuthChannel = Extract<keyof HandlerTable, `auth.${string}` | `users.${string}` | `facilities.${string}`>;

function connectionOf(ctx: CallContext): Connection {
  // The command line has no window to keep a session for.
  if (!ctx.connection) throw new NoctisError('NOT_SUPPORTED', { reason: 'no connection to sign in on' });
  return ctx.connection;
}

function sessionOf(principal: Principal): Session {
  if (principal.kind !== 'user') throw new NoctisError('AUTH_REQUIRED');
  return principal.session;
}

export function createAuthHandlers(services: AuthServices): Pick<HandlerTable, AuthChannel> {
  const { accounts, facilities, sessions, audit, log } = services;

  const record = (principal: Principal, event: Omit<AuditRecord, 'user' | 'role'>, attempted?: string) => {
    audit.append({ ...actorOf(principal, attempted), ...event });
  };
  const authEvent = (principal: Principal, outcome: 0 | 4 | 8, typeCode: '110122' | '110123', description: string, attempted?: string) =>
    record(principal, { code: '110114', typeCode, action: 'E', outcome, description }, attempted);
  const securityChange = (principal: Principal, typeCode: '110136' | '110137' | '110129', description: string) =>
    record(principal, { code: '110113', typeCode, action: 'U', outcome: 0, description });

  /** The outcome of a password check, as the caller must hear it (and the audit records it). */
  const refuseLogin = (result: Exclude<LoginResult, { ok: true }>, principal: Principal, username: string, what: string): never => {
    const locked = result.code === 'ACCOUNT_LOCKED';
    const description = result.lockedNow
      ? `${what} failed; account locked after repeated failures`
      : `${what} refused: ${result.code === 'LOGIN_FAILED' ? 'wrong username or password' : locked ? 'account locked' : 'account disabled'}`;
    authEvent(principal, result.lockedNow ? 8 : 4, '110122', description, username);
    log.warn('auth.login_refused', { username, code: result.code, what });
    throw new NoctisError(result.code, { username });
  };

  const signIn = (connection: Connection, user: Parameters<Sessions['open']>[0], mustChange: boolean): SessionInfo => {
    const session = sessions.open(user, connection, mustChange);
    authEvent({ kind: 'user', session }, 0, '110122', 'signed in');
    log.info('auth.signed_in', { user: user.username, role: user.role });
    return sessions.info(session);
  };

  const endUserSessions = (userId: number) => {
    const ended = sessions.endForUser(userId);
    if (ended > 0) log.info('auth.sessions_ended', { userId, ended });
  };

  return {
    'auth.status': (_payload, _ctx, principal) => ({
      setupRequired: accounts.count() === 0,
      session: principal.kind === 'user' ? sessions.info(principal.session) : null,
    }),

    'auth.setup': async ({ username, password, displayName }, ctx, principal) => {
      const connection = connectionOf(ctx);
      if (accounts.count() > 0) throw new NoctisError('SETUP_DONE');
      const { user } = await accounts.create({ username, password, displayName, role: 'admin', mustChangePassword: false });
      record(principal, { code: '110113', typeCode: '110136', action: 'C', outcome: 0, description: `first admin ${user.username} created at setup` }, user.username);
      return signIn(connection, user, false);
    },

    'auth.login': async ({ username, password }, ctx, principal) => {
      const connection = connectionOf(ctx);
      const result = await accounts.login(username, password);
      if (!result.ok) return refuseLogin(result, principal, username, 'sign-in');
      return signIn(connection, result.user, result.user.mustChangePassword);
    },

    'auth.logout': (_payload, _ctx, principal) => {
      if (principal.kind !== 'user') return { loggedOut: false };
      authEvent(principal, 0, '110123', 'signed out');
      sessions.end(principal.session);
      return { loggedOut: true };
    },

    'auth.lock': (_payload, _ctx, principal) => {
      const session = sessionOf(principal);
      sessions.lock(session);
      return sessions.info(session);
    },

    'auth.unlock': async ({ password }, _ctx, principal) => {
      const session = sessionOf(principal);
      // The same check as signing in: failures count toward the lockout, a locked account ends the session.
      const result = await accounts.login(session.user.username, password);
      if (!result.ok) {
        if (result.code !== 'LOGIN_FAILED') sessions.end(session);
        return refuseLogin(result, principal, session.user.username, 'unlock');
      }
      sessions.unlock(session);
      authEvent(principal, 0, '110122', 'unlocked the screen');
      return sessions.info(session);
    },

    'auth.changePassword': async ({ currentPassword, newPassword }, _ctx, principal) => {
      const session = sessionOf(principal);
      if (session.locked) throw new NoctisError('SESSION_LOCKED');
      const result = await accounts.login(session.user.username, currentPassword);
      if (!result.ok) {
        if (result.code !== 'LOGIN_FAILED') sessions.end(session);
        return refuseLogin(result, principal, session.user.username, 'password change');
      }
      if (newPassword === currentPassword) throw new NoctisError('PASSWORD_POLICY', { problem: 'same as the current password' });
      await accounts.setPassword(session.user.userId, newPassword, false);
      session.mustChangePassword = false;
      securityChange(principal, '110137', `${session.user.username} changed their password`);
      return sessions.info(session);
    },

    'auth.activity': (_payload, _ctx, principal) => {
      const session = sessionOf(principal);
      sessions.touch(session);
      return { locked: session.locked };
    },

    'users.list': () => accounts.list(),

    'users.create': async ({ mustChangePassword = true, ...payload }, _ctx, principal) => {
      const change = await accounts.create({ ...payload, mustChangePassword });
      const { user } = change;
      record(principal, {
        code: '110113',
        typeCode: '110136',
        action: 'C',
        outcome: 0,
        description: `account ${user.username} created as ${user.role}${user.facilityName ? ` of ${user.facilityName}` : ''}`,
      });
      return change;
    },

    'users.update': ({ userId, ...edit }, _ctx, principal) => {
      const before = accounts.get(userId);
      const change = accounts.update(userId, edit);
      const after = change.user;
      const what: string[] = [];
      if (before.role !== after.role) what.push(`role ${before.role} → ${after.role}`);
      if (before.facilityId !== after.facilityId) what.push(`facility ${before.facilityName ?? 'none'} → ${after.facilityName ?? 'none'}`);
      if (before.licenseNumber !== after.licenseNumber) what.push('license number');
      if (before.specialization !== after.specialization) what.push('specialization');
      if (before.displayName !== after.displayName) what.push('name');
      const rolesChanged = before.role !== after.role || before.facilityId !== after.facilityId;
      securityChange(principal, rolesChanged ? '110136' : '110137', `account ${after.username} changed: ${what.join(', ') || 'nothing'}`);
      // What the user may see changed: their windows sign in again.
      if (rolesChanged) endUserSessions(userId);
      return change;
    },

    'users.disable': ({ userId }, _ctx, principal) => {
      const change = accounts.setDisabled(userId, true);
      securityChange(principal, '110137', `account ${change.user.username} disabled`);
      endUserSessions(userId);
      return change;
    },

    'users.enable': ({ userId }, _ctx, principal) => {
      const change = accounts.setDisabled(userId, false);
      securityChange(principal, '110137', `account ${change.user.username} enabled`);
      return change;
    },

    'users.resetPassword': async ({ userId, password }, _ctx, principal) => {
      const change = await accounts.setPassword(userId, password, true);
      securityChange(principal, '110137', `password of ${change.user.username} reset; to be changed at next sign-in`);
      endUserSessions(userId);
      return change;
    },

    'users.unlock': ({ userId }, _ctx, principal) => {
      const change = accounts.unlock(userId);
      securityChange(principal, '110137', `account ${change.user.username} unlocked`);
      return change;
    },

    'facilities.list': () => facilities.list(),

    'facilities.create': ({ name, institutions }, _ctx, principal) => {
      const facility = facilities.create(name, institutions);
      securityChange(principal, '110129', `facility ${facility.name} created${facility.institutions.length ? ` for ${facility.institutions.join(', ')}` : ''}`);
      return facility;
    },

    'facilities.update': ({ facilityId, name, institutions }, _ctx, principal) => {
      const facility = facilities.update(facilityId, { name, institutions });
      securityChange(principal, '110129', `facility ${facility.name} changed: institutions ${facility.institutions.join(', ') || 'none'}`);
      return facility;
    },
  };
}
