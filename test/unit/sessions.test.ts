// Sessions on a clock the test moves: the idle lock, the absolute limit, keys for the byte routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthStatus, UserRow } from '../../shared/auth';
import { checkAccess } from '../../electron/core/auth/access';
import { createSessions, type Connection } from '../../electron/core/auth/sessions';

const user: UserRow = {
  userId: 1,
  username: 'reader',
  displayName: 'A Reader',
  role: 'radiologist',
  facilityId: 1,
  facilityName: 'North',
  licenseNumber: 'L',
  specialization: 'Chest',
  disabled: false,
  lockedUntil: null,
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: null,
};
const MINUTE = 60_000;

function setup() {
  let now = Date.parse('2026-12-04T08:00:00Z');
  const sessions = createSessions(() => ({ idleLockMinutes: 15, sessionHours: 12 }), () => now);
  const pushed: AuthStatus[] = [];
  const connection: Connection = { notify: (s) => pushed.push(s) };
  const session = sessions.open(user, connection, false);
  return { sessions, connection, session, pushed, advance: (ms: number) => (now += ms) };
}

test('a session locks after the idle time, and activity keeps it open', () => {
  const { sessions, connection, session, pushed, advance } = setup();
  advance(14 * MINUTE);
  sessions.touch(session);
  advance(14 * MINUTE);
  const open = sessions.resolve(connection);
  assert.ok(open && 'session' in open && !open.session.locked, 'touched 14 minutes ago: open');
  advance(MINUTE);
  const locked = sessions.resolve(connection);
  assert.ok(locked && 'session' in locked && locked.session.locked, '15 idle minutes: locked');
  assert.equal(pushed.at(-1)?.session?.locked, true, 'the window is told');
  assert.equal(checkAccess('studies.search', { kind: 'user', session }, locked)?.code, 'SESSION_LOCKED');
  assert.equal(checkAccess('auth.unlock', { kind: 'user', session }, locked), undefined);
  sessions.touch(session);
  assert.equal(session.locked, true, 'input alone does not unlock');
  sessions.unlock(session);
  assert.equal(session.locked, false);
  sessions.close();
});

test('a session ends 12 hours after sign-in, active or not, and says it expired', () => {
  const { sessions, connection, session, pushed, advance } = setup();
  for (let i = 0; i < 12 * 6 - 1; i++) {
    advance(10 * MINUTE);
    sessions.touch(session);
  }
  assert.ok(sessions.resolve(connection) && connection.sessionId);
  advance(10 * MINUTE);
  const ended = sessions.resolve(connection);
  assert.deepEqual(ended, { ended: 'expired' });
  assert.equal(connection.sessionId, undefined);
  assert.deepEqual(pushed.at(-1), { setupRequired: false, session: null });
  assert.equal(checkAccess('studies.search', { kind: 'anonymous' }, ended)?.code, 'SESSION_EXPIRED');
  sessions.close();
});

test('the byte-route key works only while its session is live and unlocked', () => {
  const { sessions, session, advance } = setup();
  assert.equal(sessions.byBytesKey(session.bytesKey), session);
  assert.equal(sessions.byBytesKey(null), undefined);
  sessions.lock(session);
  assert.equal(sessions.byBytesKey(session.bytesKey), undefined);
  sessions.unlock(session);
  advance(16 * MINUTE);
  assert.equal(sessions.byBytesKey(session.bytesKey), undefined, 'idle: locked on the spot');
  sessions.end(session);
  assert.equal(sessions.byBytesKey(session.bytesKey), undefined);
  sessions.close();
});

test('signing in again on a connection replaces its session; ending an account ends all of its sessions', () => {
  const { sessions, connection, session } = setup();
  const second = sessions.open(user, connection, false);
  assert.notEqual(second.id, session.id);
  assert.equal(sessions.byBytesKey(session.bytesKey), undefined, 'the old key is dead');
  const other: Connection = {};
  sessions.open(user, other, false);
  assert.equal(sessions.count(), 2);
  assert.equal(sessions.endForUser(user.userId), 2);
  assert.equal(sessions.count(), 0);
  sessions.close();
});
