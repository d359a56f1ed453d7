// `noctis users` and `noctis facilities` as scripted installs run them: the built bin, the
// password on stdin, a real store; what they change is audited as the operating-system user.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { UserRow } from '../../shared/auth';
import { REPO_ROOT, tempCore, tempDir, testWindow } from '../helpers';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');

function noctis(args: string[], input = '') {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('users add takes the password from stdin, creates the facility it names, and lists as JSON', async () => {
  const dataDir = path.join(tempDir(), 'store');
  const admin = noctis(['users', 'add', '--data-dir', dataDir, '--username', 'siteadmin', '--role', 'admin', '--keep-password', '--json'], 'a scripted admin pass\n');
  assert.equal(admin.code, 0, admin.stderr);
  const rad = noctis(
    ['users', 'add', '--data-dir', dataDir, '--username', 'ana', '--role', 'radiologist', '--facility', 'North', '--license', 'R-77', '--display-name', 'Ana Reader', '--json'],
    'the radiologist pass\n',
  );
  assert.equal(rad.code, 0, rad.stderr);
  assert.match(rad.stderr, /Created facility North/);
  assert.match(rad.stderr, /Warning: A specialization is suggested/);
  const created = JSON.parse(rad.stdout) as UserRow;
  assert.deepEqual([created.role, created.facilityName, created.licenseNumber, created.mustChangePassword], ['radiologist', 'North', 'R-77', true]);
  assert.ok(!rad.stdout.includes('the radiologist pass') && !rad.stderr.includes('the radiologist pass'), 'the password is never printed');

  const refused = noctis(['users', 'add', '--data-dir', dataDir, '--username', 'carl', '--role', 'technologist', '--json'], 'a technologist pass\n');
  assert.equal(refused.code, 1);
  assert.equal((JSON.parse(refused.stdout) as { error: { code: string } }).error.code, 'USER_INVALID');
  assert.equal(noctis(['users', 'add', '--data-dir', dataDir, '--username', 'x', '--role', 'wizard'], 'whatever pass here\n').code, 2, 'an unknown role is a usage error');

  const listed = noctis(['users', 'list', '--data-dir', dataDir, '--json']);
  assert.deepEqual((JSON.parse(listed.stdout) as UserRow[]).map((u) => u.username), ['ana', 'siteadmin']);

  // The accounts work in a window: the kept password signs in, the other must be changed first.
  const core = tempCore(dataDir);
  const window = testWindow(core);
  assert.equal((await window.call('auth.login', { username: 'siteadmin', password: 'a scripted admin pass' })).mustChangePassword, false);
  assert.equal((await window.call('auth.login', { username: 'ANA', password: 'the radiologist pass' })).mustChangePassword, true);
  const who = `cli:${os.userInfo().username}`;
  const audited = core.audit.list({ user: who }).events.map((e) => e.description);
  assert.ok(audited.some((d) => d.startsWith('account ana created as radiologist of North')), audited.join('\n'));
  core.close();
});

test('disable, unlock and reset-password find the account by name', () => {
  const dataDir = path.join(tempDir(), 'store');
  noctis(['users', 'add', '--data-dir', dataDir, '--username', 'bo', '--role', 'facility_user', '--facility', 'South', '--keep-password'], 'a facility user pass\n');
  const disabled = noctis(['users', 'disable', '--data-dir', dataDir, '--username', 'BO', '--json']);
  assert.equal((JSON.parse(disabled.stdout) as UserRow).disabled, true);
  const reset = noctis(['users', 'reset-password', '--data-dir', dataDir, '--username', 'bo', '--json'], 'reset by the admin\n');
  assert.equal((JSON.parse(reset.stdout) as UserRow).mustChangePassword, true);
  assert.equal(noctis(['users', 'unlock', '--data-dir', dataDir, '--username', 'nobody']).code, 2);
  const facilities = noctis(['facilities', 'add', '--data-dir', dataDir, '--name', 'East', '--institution', 'East Hospital', '--institution', 'East Clinic', '--json']);
  assert.deepEqual((JSON.parse(facilities.stdout) as { institutions: string[] }).institutions, ['East Clinic', 'East Hospital']);
});
