// The lock screen end to end in Chromium against `noctis serve`: locking by hand and by idling
// hides the work without closing it; the password brings back the same study, still rendered.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';
import { addUser, E2E_PASSWORD, signIn } from './accounts';
import { launchChromium } from './browser';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
const dataDir = path.join(tempDir(), 'store');
let server: ChildProcess;
let browser: Browser;
let page: Page;
let study: GeneratedStudy;

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8' });

before(async () => {
  const source = tempDir();
  study = writeStudy(source, { patientName: 'LOCK^KEPT', patientId: 'LOCK1', rows: 128, columns: 128, slicesPerSeries: 3 });
  assert.equal(cli('import', source, '--json').status, 0);
  addUser(dataDir, 'reader', { role: 'radiologist' });
  server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await signIn(page, 'reader');
  await page.locator(`[data-testid="study-row"][data-study-uid="${study.studyInstanceUid}"]`).click();
  await page.locator('[data-testid="viewport"][data-rendered="true"]').waitFor({ timeout: 30_000 });
  // Scroll to the second image, so that "the same work" means more than the first image.
  const box = (await page.getByTestId('viewport').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 120);
  await page.locator('[data-testid="viewport"][data-image-index="1"][data-rendered="true"]').waitFor();
  // A mark on the viewport's element: still there after unlocking means it was never remounted.
  await page.getByTestId('viewport').evaluate((el) => el.setAttribute('data-e2e-mark', 'kept'));
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function assertWorkKept(): Promise<void> {
  const viewport = page.locator('[data-testid="viewport"][data-e2e-mark="kept"]');
  await viewport.waitFor();
  assert.equal(await viewport.getAttribute('data-rendered'), 'true');
  assert.equal(await viewport.getAttribute('data-image-index'), '1');
  assert.equal(await page.locator(`[data-testid="study-row"].selected`).getAttribute('data-study-uid'), study.studyInstanceUid);
}

async function assertLocked(): Promise<void> {
  const lock = page.getByTestId('lock-screen');
  await lock.waitFor();
  assert.equal(await lock.getByTestId('lock-user').getAttribute('data-username'), 'reader');
  // The work is still in the page, but hidden and out of reach of input.
  assert.equal(await page.getByTestId('viewport').count(), 1);
  assert.equal(await page.getByTestId('viewport').isVisible(), false);
  assert.equal(await page.locator('.workspace-shell').evaluate((el) => (el as HTMLElement).inert), true);
}

test('Lock hides the open study; a wrong password is refused; the right one brings it back as it was', async () => {
  await page.getByTestId('lock-now').click();
  await assertLocked();
  await page.getByTestId('lock-password').fill('not my password at all');
  await page.getByTestId('lock-password').press('Enter');
  await page.getByTestId('lock-error').waitFor();
  assert.equal(await page.getByTestId('lock-screen').count(), 1);

  await page.getByTestId('lock-password').fill(E2E_PASSWORD);
  await page.getByTestId('lock-password').press('Enter');
  await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
  await assertWorkKept();
});

test('a window idle for idleLockMinutes locks by itself and unlocks to the same study', async () => {
  // The shortest idle time the settings allow; read by the core and, at sign-in, by the window.
  assert.equal(cli('settings', '--set', 'idleLockMinutes=1').status, 0);
  await page.getByTestId('lock-now').click();
  await page.getByTestId('lock-password').fill(E2E_PASSWORD);
  await page.getByTestId('lock-submit').click();
  await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
  const unlockedAt = Date.now();
  // No input from here on: the lock must come within a minute and a little.
  await page.getByTestId('lock-screen').waitFor({ timeout: 100_000 });
  const idleSeconds = (Date.now() - unlockedAt) / 1000;
  assert.ok(idleSeconds >= 55, `locked after ${idleSeconds.toFixed(0)} s idle`);
  await assertLocked();

  await page.getByTestId('lock-password').fill(E2E_PASSWORD);
  await page.getByTestId('lock-submit').click();
  await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
  await assertWorkKept();
});
