// Accounts end to end in Chromium against `noctis serve`: the first-run setup, a refused sign-in,
// an admin creating a radiologist who must then choose a password, lockout and the admin's
// account actions, and the audit viewer.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT, tempDir } from '../helpers';
import { signIn, signOut } from './accounts';
import { launchChromium } from './browser';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
const ADMIN_PASSWORD = 'first admin passphrase';
const INITIAL_PASSWORD = 'temporary passphrase 1';
const OWN_PASSWORD = 'my own reading passphrase';
let server: ChildProcess;
let browser: Browser;
let page: Page;

before(async () => {
  // A fresh data folder: no account exists, so the window offers the first-run setup.
  const dataDir = path.join(tempDir(), 'store');
  server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  browser = await launchChromium();
  // A context of its own, so that a second tab can share the host's cookie.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('the first run creates the admin, who lands in the admin area and sees no study list', async () => {
  await page.getByTestId('setup-username').fill('chief');
  await page.getByTestId('setup-password').fill('short');
  await page.getByTestId('setup-submit').click();
  await page.getByTestId('setup-error').waitFor();
  assert.equal(await page.getByTestId('admin-area').count(), 0, 'a password below the policy is refused before it is sent');

  await page.getByTestId('setup-display-name').fill('Chief Admin');
  await page.getByTestId('setup-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('setup-submit').click();
  await page.getByTestId('admin-area').waitFor();
  const badge = page.getByTestId('session-user');
  assert.equal(await badge.getAttribute('data-role'), 'admin');
  assert.match((await badge.textContent()) ?? '', /Chief Admin/);
  await page.locator('[data-testid="user-row"][data-username="chief"]').waitFor();
  assert.equal(await page.getByTestId('study-search').count(), 0, 'least privilege: an admin reads no studies');
  assert.equal(await page.getByTestId('import-open').count(), 0);
  for (const id of ['settings-open', 'logs-open', 'health-open']) assert.equal(await page.getByTestId(id).count(), 1, id);
});

test('a wrong password is refused on the login screen', async () => {
  await signOut(page);
  await page.getByTestId('login-username').fill('chief');
  await page.getByTestId('login-password').fill('not the password at all');
  await page.getByTestId('login-submit').click();
  const error = page.getByTestId('login-error');
  await error.waitFor();
  assert.match((await error.textContent()) ?? '', /username or password is wrong/i);
  assert.equal(await page.getByTestId('session-user').count(), 0);
  assert.equal(await page.getByTestId('error-toast').count(), 0, 'a refused sign-in is said on the form, not in a toast');
});

test('the admin creates a facility and a radiologist, who must choose a password at first sign-in', async () => {
  await signIn(page, 'chief', ADMIN_PASSWORD);
  await page.getByTestId('admin-tab-facilities').click();
  await page.getByTestId('facility-form-name').fill('North');
  await page.getByTestId('facility-form-institutions').fill('North Hospital\nNorth Clinic');
  await page.getByTestId('facility-create').click();
  await page.locator('[data-testid="facility-row"][data-name="North"]').waitFor();

  await page.getByTestId('admin-tab-users').click();
  await page.getByTestId('user-create').click();
  const form = page.getByTestId('user-form');
  await form.getByTestId('user-form-username').fill('ana');
  await form.getByTestId('user-form-display-name').fill('Ana Reader');
  await form.getByTestId('user-form-role').selectOption('radiologist');
  // What a radiologist still lacks is said before anything is sent.
  assert.match((await form.getByTestId('user-form-missing').textContent()) ?? '', /facility.*license/);
  assert.equal(await form.getByTestId('user-form-submit').isDisabled(), true);
  await form.getByTestId('user-form-facility').selectOption({ label: 'North' });
  await form.getByTestId('user-form-license').fill('R-1001');
  await form.getByTestId('user-form-password').fill(INITIAL_PASSWORD);
  await form.getByTestId('user-form-submit').click();

  const row = page.locator('[data-testid="user-row"][data-username="ana"]');
  await row.waitFor();
  assert.match((await row.getByTestId('user-status').textContent()) ?? '', /must change password/);
  assert.match((await row.textContent()) ?? '', /North/);
  // No specialization: created, with the core's advice shown.
  await page.getByTestId('user-warning').first().waitFor();

  await signOut(page);
  await page.getByTestId('login-username').fill('ana');
  await page.getByTestId('login-password').fill(INITIAL_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('password-change').waitFor();
  assert.equal(await page.getByTestId('study-search').count(), 0, 'nothing else before the password is changed');
  await page.getByTestId('password-current').fill(INITIAL_PASSWORD);
  await page.getByTestId('password-new').fill(OWN_PASSWORD);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('study-search').waitFor();
  assert.equal(await page.getByTestId('session-user').getAttribute('data-role'), 'radiologist');
  assert.equal(await page.getByTestId('admin-area').count(), 0);
  assert.equal(await page.getByTestId('import-open').count(), 0, 'a radiologist does not import');

  await signOut(page);
  await signIn(page, 'ana', OWN_PASSWORD);
  await page.getByTestId('study-search').waitFor();
});

test('failed sign-ins lock an account; the admin unlocks, edits, disables and enables it', async () => {
  await signOut(page);
  for (let i = 0; i < 5; i++) {
    await page.getByTestId('login-username').fill('ana');
    await page.getByTestId('login-password').fill(`wrong password ${i}`);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="login-submit"]:not([disabled])').waitFor();
  }
  await page.getByTestId('login-username').fill('ana');
  await page.getByTestId('login-password').fill(OWN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByText(/locked after too many failed sign-ins/).waitFor();

  await signIn(page, 'chief', ADMIN_PASSWORD);
  const row = page.locator('[data-testid="user-row"][data-username="ana"]');
  await row.and(page.locator('[data-status="locked"]')).waitFor();
  assert.match((await row.getByTestId('user-status').textContent()) ?? '', /locked until/);
  await row.getByTestId('user-unlock').click();
  await row.and(page.locator('[data-status="active"]')).waitFor();

  await row.getByTestId('user-edit').click();
  const form = page.getByTestId('user-form');
  await form.getByTestId('user-form-specialization').fill('Neuroradiology');
  await form.getByTestId('user-form-submit').click();
  await row.getByText('Neuroradiology').waitFor();

  // Ana reads in another tab (its own connection and session) while the admin disables her.
  const other = await page.context().newPage(); // the same cookie: the host's token is spent
  await other.goto(page.url());
  await signIn(other, 'ana', OWN_PASSWORD);
  await other.getByTestId('study-search').waitFor();
  await row.getByTestId('user-disable').click();
  await row.and(page.locator('[data-status="disabled"]')).waitFor();
  await other.getByTestId('login-notice').waitFor();
  await other.close();
  await row.getByTestId('user-enable').click();
  await row.and(page.locator('[data-status="active"]')).waitFor();
});

test('the audit viewer lists events newest first, filters by user, exports and verifies the chain', async () => {
  await signOut(page);
  await signIn(page, 'chief', ADMIN_PASSWORD);
  await page.getByTestId('admin-tab-audit').click();
  const rows = page.getByTestId('audit-row');
  await rows.first().waitFor();
  const ids = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-event-id')))));
  assert.ok(ids.length > 5, `${ids.length} events`);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');

  await page.getByTestId('audit-filter-user').fill('ana');
  await page.waitForFunction(() => {
    const users = [...document.querySelectorAll('[data-testid="audit-row"]')].map((r) => r.getAttribute('data-user'));
    return users.length > 0 && users.every((u) => u === 'ana');
  });
  // Ana's sign-ins are there.
  const codes = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  assert.ok(codes.includes('110114'), codes.join(','));
  await page.getByTestId('audit-filter-code').selectOption('110114');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-code') === '110114' && r.getAttribute('data-user') === 'ana');
  });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const file = await download.path();
  assert.match(fs.readFileSync(file, 'utf8'), /ana/);

  await page.getByTestId('audit-verify').click();
  const verified = page.getByTestId('audit-verify-result');
  await verified.waitFor();
  assert.equal(await verified.getAttribute('data-ok'), 'true', (await verified.textContent()) ?? '');
});

test('a reload opens a new connection, which signs in again', async () => {
  await page.reload();
  await page.getByTestId('login-username').waitFor();
  assert.equal(await page.getByTestId('session-user').count(), 0);
  await signIn(page, 'chief', ADMIN_PASSWORD);
  await page.getByTestId('admin-area').waitFor();
});

test('a signed-in user changes their own password from the header, over the kept workspace', async () => {
  await page.getByTestId('password-open').click();
  await page.getByTestId('password-change').waitFor();
  assert.equal(await page.getByTestId('admin-area').count(), 1, 'the workspace stays underneath');
  await page.getByTestId('password-cancel').click();
  assert.equal(await page.getByTestId('password-change').count(), 0);

  await page.getByTestId('password-open').click();
  await page.getByTestId('password-current').fill('not the password at all');
  await page.getByTestId('password-new').fill('a passphrase of my own choosing');
  await page.getByTestId('password-submit').click();
  await page.getByTestId('password-error').waitFor();
  await page.getByTestId('password-current').fill(ADMIN_PASSWORD);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('password-change').waitFor({ state: 'detached' });
  await signOut(page);
  await signIn(page, 'chief', 'a passphrase of my own choosing');
});
