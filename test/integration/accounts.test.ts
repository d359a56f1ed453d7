// Accounts, sessions and roles through the handler table, on a real store: the whole channel ×
// role matrix, first-run setup, lockout and unlock, forced password changes, the lock screen,
// and the rules each role's account must follow.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { before, test } from 'node:test';
import { CHANNEL_ACCESS, type Channel } from '../../shared/api';
import { PASSWORD_POLICY, ROLES, hasPermission, type Role } from '../../shared/auth';
import type { ErrorCode } from '../../shared/errors';
import { writeStudy } from '../fixtures/generate';
import { api, signedIn, tempCore, tempDir, testWindow, TEST_PASSWORD, type TestWindow } from '../helpers';

const core = tempCore();
let studyUid: string;

before(async () => {
  const source = tempDir();
  studyUid = writeStudy(source, { patientName: 'ROLES^TEST', patientId: 'RT1', slicesPerSeries: 1 }).studyInstanceUid;
  await core.importFiles([source]);
});

/** The error code of a call, or 'ok'. */
async function outcome(window: TestWindow, channel: Channel, payload: unknown): Promise<ErrorCode | 'ok'> {
  try {
    await window.call(channel, payload as never);
    return 'ok';
  } catch (err) {
    return (err as { code: ErrorCode }).code;
  }
}

// Channels that change the calling session itself are checked on their own below.
const SESSION_CHANGING = new Set<Channel>(['auth.logout', 'auth.lock', 'auth.setup', 'auth.login']);
const CHANNELS = Object.keys(CHANNEL_ACCESS) as Channel[];

test('first run: setup creates the first admin and signs it in; a second setup is refused', async () => {
  const fresh = tempCore();
  const window = testWindow(fresh);
  assert.deepEqual(await window.call('auth.status', {}), { setupRequired: true, session: null });
  await assert.rejects(window.call('auth.setup', { username: 'boss', password: 'short' }), { code: 'PASSWORD_POLICY' });
  const session = await window.call('auth.setup', { username: 'Boss', password: 'the first admin passphrase' });
  assert.equal(session.user.role, 'admin');
  assert.equal(session.mustChangePassword, false);
  assert.ok(session.permissions.includes('users.manage'));
  const status = await window.call('auth.status', {});
  assert.equal(status.setupRequired, false);
  assert.equal(status.session?.user.username, 'Boss');
  await assert.rejects(testWindow(fresh).call('auth.setup', { username: 'other', password: 'another long passphrase' }), { code: 'SETUP_DONE' });
  const events = fresh.audit.list({}).events;
  assert.ok(events.some((e) => e.code === '110113' && e.typeCode === '110136' && e.description.includes('first admin')));
  assert.ok(events.some((e) => e.code === '110114' && e.typeCode === '110122' && e.user === 'Boss' && e.outcome === 0));
});

test('every channel is refused without a session, except the public ones', async () => {
  const anonymous = testWindow(core);
  for (const channel of CHANNELS) {
    if (SESSION_CHANGING.has(channel)) continue;
    const code = await outcome(anonymous, channel, {});
    if (CHANNEL_ACCESS[channel] === 'public') assert.notEqual(code, 'AUTH_REQUIRED', channel);
    else assert.equal(code, 'AUTH_REQUIRED', channel);
  }
});

for (const role of ROLES) {
  test(`${role}: every channel is denied unless the role's permissions allow it, in the core`, async () => {
    const window = await signedIn(core, role);
    const username = (await window.call('auth.status', {})).session!.user.username;
    let denied = 0;
    for (const channel of CHANNELS) {
      if (SESSION_CHANGING.has(channel)) continue;
      const need = CHANNEL_ACCESS[channel];
      const code = await outcome(window, channel, {});
      const allowed = need === 'public' || need === 'session' || hasPermission(role, need);
      if (allowed) assert.notEqual(code, 'PERMISSION_DENIED', `${role} may call ${channel}`);
      else {
        assert.equal(code, 'PERMISSION_DENIED', `${role} may not call ${channel}`);
        denied++;
      }
    }
    assert.ok(denied > 0, 'every role is refused something');
    // Each refusal is a security alert in the audit trail, naming the user and the channel.
    const alerts = core.audit.list({ user: username, code: '110113', limit: 500 }).events.filter((e) => e.typeCode === '110132');
    assert.equal(alerts.length, denied);
    assert.ok(alerts.every((e) => e.outcome === 4 && e.role === role && e.description.startsWith('permission denied: ')));
    // The session's own channels work for every role.
    assert.equal((await window.call('auth.lock', {})).locked, true);
    assert.deepEqual(await window.call('auth.logout', {}), { loggedOut: true });
    assert.equal(await outcome(window, 'auth.activity', {}), 'AUTH_REQUIRED');
  });
}

test('the channels a study reader needs are exactly studies.view', async () => {
  const radiologist = await signedIn(core, 'radiologist');
  const study = await radiologist.call('studies.get', { studyInstanceUid: studyUid });
  assert.equal(study.patientId, 'RT1');
  // Instance URLs carry this session's key: the byte routes serve them to this session only.
  const url = study.series[0].instances[0].url;
  const key = new URL(url, 'http://x').searchParams.get('k');
  assert.ok(key && key.length >= 32);
  const sop = study.series[0].instances[0].sopInstanceUid;
  assert.ok(core.instanceFileForKey(sop, key), 'served with the key');
  assert.equal(core.instanceFileForKey(sop, null), undefined, 'not without');
  assert.equal(core.instanceFileForKey(sop, 'made-up-key-made-up-key-made-up-key'), undefined, 'not with a made-up key');
  await radiologist.call('auth.lock', {});
  assert.equal(core.instanceFileForKey(sop, key), undefined, 'not while the session is locked');
  await radiologist.call('auth.unlock', { password: TEST_PASSWORD });
  assert.ok(core.instanceFileForKey(sop, key));
  await radiologist.call('auth.logout', {});
  assert.equal(core.instanceFileForKey(sop, key), undefined, 'not after sign-out');
  const opened = core.audit.list({ code: '110103' }).events[0];
  assert.deepEqual([opened.patientIds, opened.studyUids, opened.action], [['RT1'], [studyUid], 'R']);
});

test('five failed sign-ins lock the account for 15 minutes; the right password does not help; an admin unlocks', async () => {
  await api(core, 'users.create', { username: 'locky', password: TEST_PASSWORD, role: 'facility_user', facilityId: (await api(core, 'facilities.create', { name: 'Lock Clinic' })).facilityId, mustChangePassword: false });
  const window = testWindow(core);
  for (let i = 1; i < PASSWORD_POLICY.maxFailures; i++) {
    await assert.rejects(window.call('auth.login', { username: 'locky', password: `wrong password ${i}` }), { code: 'LOGIN_FAILED' });
  }
  await assert.rejects(window.call('auth.login', { username: 'LOCKY', password: 'wrong password 5' }), { code: 'ACCOUNT_LOCKED' });
  await assert.rejects(window.call('auth.login', { username: 'locky', password: TEST_PASSWORD }), { code: 'ACCOUNT_LOCKED' });
  const user = (await api(core, 'users.list', {})).find((u) => u.username === 'locky');
  assert.ok(user?.lockedUntil);
  const minutes = (Date.parse(user.lockedUntil) - Date.now()) / 60_000;
  assert.ok(minutes > PASSWORD_POLICY.lockoutMinutes - 1 && minutes <= PASSWORD_POLICY.lockoutMinutes, `${minutes} minutes`);

  const failures = core.audit.list({ user: 'locky', code: '110114' }).events;
  assert.ok(failures.some((e) => e.outcome === 8 && e.description.includes('locked')), 'the lockout is audited');
  assert.equal(failures.filter((e) => e.outcome === 4).length >= 4, true, 'each failure is audited');

  await api(core, 'users.unlock', { userId: user.userId });
  const session = await window.call('auth.login', { username: 'locky', password: TEST_PASSWORD });
  assert.equal(session.user.username, 'locky');
});

test('unknown usernames and wrong passwords get the same answer', async () => {
  const window = testWindow(core);
  await assert.rejects(window.call('auth.login', { username: 'nobody-here', password: TEST_PASSWORD }), { code: 'LOGIN_FAILED' });
  await assert.rejects(window.call('auth.login', { username: 'locky', password: 'not the password at all' }), { code: 'LOGIN_FAILED' });
});

test('an admin-created account must change its password before anything else', async () => {
  const admin = await signedIn(core, 'admin');
  const facilityId = (await admin.call('facilities.list', {}))[0].facilityId;
  const { user } = await admin.call('users.create', { username: 'newtech', password: 'given by the admin', role: 'technologist', facilityId, licenseNumber: 'T-9' });
  assert.equal(user.mustChangePassword, true);
  const window = testWindow(core);
  const session = await window.call('auth.login', { username: 'newtech', password: 'given by the admin' });
  assert.equal(session.mustChangePassword, true);
  assert.equal(await outcome(window, 'studies.search', {}), 'PASSWORD_CHANGE_REQUIRED');
  await assert.rejects(window.call('auth.changePassword', { currentPassword: 'given by the admin', newPassword: 'newtech is my name ok' }), { code: 'PASSWORD_POLICY' });
  await assert.rejects(window.call('auth.changePassword', { currentPassword: 'given by the admin', newPassword: 'given by the admin' }), { code: 'PASSWORD_POLICY' });
  const changed = await window.call('auth.changePassword', { currentPassword: 'given by the admin', newPassword: 'chosen by myself now' });
  assert.equal(changed.mustChangePassword, false);
  assert.equal(await outcome(window, 'studies.search', {}), 'ok');
  await window.call('auth.logout', {});
  await window.call('auth.login', { username: 'newtech', password: 'chosen by myself now' });
});

test('the lock screen: calls wait for the password; a wrong one is refused; the session goes on after', async () => {
  const tech = await signedIn(core, 'technologist');
  await tech.call('studies.get', { studyInstanceUid: studyUid });
  const locked = await tech.call('auth.lock', {});
  assert.equal(locked.locked, true);
  assert.equal(await outcome(tech, 'studies.get', { studyInstanceUid: studyUid }), 'SESSION_LOCKED');
  assert.equal((await tech.call('auth.status', {})).session?.locked, true);
  assert.deepEqual(await tech.call('auth.activity', {}), { locked: true }, 'activity does not unlock');
  await assert.rejects(tech.call('auth.unlock', { password: 'not my password here' }), { code: 'LOGIN_FAILED' });
  const unlocked = await tech.call('auth.unlock', { password: TEST_PASSWORD });
  assert.equal(unlocked.locked, false);
  assert.equal((await tech.call('studies.get', { studyInstanceUid: studyUid })).studyInstanceUid, studyUid);
});

test('accounts follow their role: facility, license, specialization, unique usernames, one admin at least', async () => {
  const admin = await signedIn(core, 'admin');
  const facilityId = (await admin.call('facilities.list', {}))[0].facilityId;
  const base = { password: TEST_PASSWORD, licenseNumber: 'L-1' };
  await assert.rejects(admin.call('users.create', { ...base, username: 'r1', role: 'radiologist' }), { code: 'USER_INVALID' }, 'facility');
  await assert.rejects(admin.call('users.create', { username: 'r1', password: TEST_PASSWORD, role: 'radiologist', facilityId }), { code: 'USER_INVALID' }, 'license');
  await assert.rejects(admin.call('users.create', { username: 'f1', password: TEST_PASSWORD, role: 'facility_user' }), { code: 'USER_INVALID' });
  await assert.rejects(admin.call('users.create', { ...base, username: 'r1', role: 'radiologist', facilityId: 9999 }), { code: 'FACILITY_NOT_FOUND' });
  const made = await admin.call('users.create', { ...base, username: 'Dr.Who', role: 'radiologist', facilityId });
  assert.deepEqual(made.warnings, ['A specialization is suggested for radiologists.']);
  await assert.rejects(admin.call('users.create', { ...base, username: 'dr.who', role: 'technologist', facilityId }), { code: 'USER_EXISTS' });
  await assert.rejects(admin.call('users.create', { ...base, username: 'x1', role: 'admin', password: 'x1x1x1x1x1x1x1' }), { code: 'PASSWORD_POLICY' });

  // Changing a role is audited as a security-roles change and signs the user's windows out.
  const window = testWindow(core);
  await window.call('auth.login', { username: 'dr.who', password: TEST_PASSWORD }).catch(() => undefined);
  await window.call('auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' });
  const changed = await admin.call('users.update', { userId: made.user.userId, role: 'technologist' });
  assert.equal(changed.user.role, 'technologist');
  assert.equal(await outcome(window, 'studies.search', {}), 'AUTH_REQUIRED');
  assert.ok(core.audit.list({ code: '110113' }).events.some((e) => e.typeCode === '110136' && e.description.includes('radiologist → technologist')));

  // Disabled, never deleted; a disabled account cannot sign in.
  await admin.call('users.disable', { userId: made.user.userId });
  await assert.rejects(window.call('auth.login', { username: 'dr.who', password: 'a brand new passphrase' }), { code: 'ACCOUNT_DISABLED' });
  await admin.call('users.enable', { userId: made.user.userId });
  await window.call('auth.login', { username: 'dr.who', password: 'a brand new passphrase' });

  // The last enabled admin can be neither disabled nor demoted.
  const admins = (await api(core, 'users.list', {})).filter((u) => u.role === 'admin' && !u.disabled);
  for (const other of admins.slice(1)) await api(core, 'users.disable', { userId: other.userId });
  await assert.rejects(api(core, 'users.disable', { userId: admins[0].userId }), { code: 'LAST_ADMIN' });
  await assert.rejects(api(core, 'users.update', { userId: admins[0].userId, role: 'radiologist', facilityId, licenseNumber: 'L' }), { code: 'LAST_ADMIN' });
});

test('a reset password must be changed at the next sign-in, and ends the sessions of that account', async () => {
  const tech = await signedIn(core, 'technologist', { username: 'resetme' });
  const user = (await api(core, 'users.list', {})).find((u) => u.username === 'resetme');
  assert.ok(user);
  await api(core, 'users.resetPassword', { userId: user.userId, password: 'temporary by admin' });
  assert.equal(await outcome(tech, 'studies.search', {}), 'AUTH_REQUIRED');
  const again = await tech.call('auth.login', { username: 'resetme', password: 'temporary by admin' });
  assert.equal(again.mustChangePassword, true);
});

test('the command line acts as its local user, audited as such', async () => {
  await api(core, 'facilities.create', { name: 'CLI Facility' });
  const event = core.audit.list({ user: 'cli:test' }).events[0];
  assert.equal(event.code, '110113');
  assert.match(event.description, /facility CLI Facility created/);
});

test('passwords are stored as scrypt hashes, never as given', () => {
  const db = new Database(core.paths.dbFile, { readonly: true });
  const stored = db.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[];
  db.close();
  assert.ok(stored.length > 3);
  for (const { password_hash } of stored) {
    assert.match(password_hash, /^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.ok(!password_hash.includes(TEST_PASSWORD));
  }
});

test('roles are data: every role has its permissions and no unknown ones', () => {
  const admin: Role = 'admin';
  assert.equal(hasPermission(admin, 'studies.view'), false, 'least privilege: admins do not read studies');
  assert.equal(hasPermission('facility_user', 'import'), false);
  assert.equal(hasPermission('technologist', 'import'), true);
  assert.equal(hasPermission('radiologist', 'studies.measure'), true);
});
