// Operations end to end in Chromium against `noctis serve`: the health panel against known
// states, an error toast whose errorId the log viewer finds, and a window error reported.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';
import { addUser, signIn, signOut } from './accounts';
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
  study = writeStudy(source, { patientName: 'OPS^HEALTH', patientId: 'OPS1', slicesPerSeries: 5 });
  assert.equal(cli('import', source, '--json').status, 0);
  // A technologist imports and sees health; the log viewer is an admin's.
  addUser(dataDir, 'tech', { role: 'technologist' });
  addUser(dataDir, 'admin', { role: 'admin' });
  server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await signIn(page, 'tech');
  await page.getByTestId('health-open').waitFor();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('the health panel shows the measured figures and turns critical when the disk is below the floor', async () => {
  await page.getByTestId('health-open').click();
  const panel = page.getByTestId('health-panel');
  await panel.getByTestId('health-status').waitFor();
  assert.equal(await panel.getByTestId('health-status').getAttribute('data-status'), 'ok');
  assert.equal(await panel.getByTestId('health-imports-lastHour').textContent(), '1');
  assert.equal(await panel.getByTestId('health-instancesImported-last7Days').textContent(), String(study.instances.length));
  assert.match((await panel.getByTestId('health-store').textContent()) ?? '', new RegExp(`1 studies, ${study.instances.length} instances`));

  assert.equal(cli('settings', '--set', 'minFreeDiskMB=100000000').status, 0);
  await panel.getByRole('button', { name: 'Refresh' }).click();
  await panel.locator('[data-testid="health-status"][data-status="critical"]').waitFor();
  assert.equal(await panel.locator('[data-testid="health-check"][data-name="disk"]').getAttribute('data-status'), 'critical');
  await panel.getByRole('button', { name: 'Close' }).click();
});

test('a refused import shows a toast with its code and errorId, and the log viewer finds that errorId', async () => {
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-path').fill(tempDir());
  await page.getByTestId('import-start').click();
  const toast = page.locator('[data-testid="error-toast"][data-code="DISK_SPACE_LOW"]');
  await toast.waitFor();
  const errorId = (await toast.getAttribute('data-error-id')) ?? '';
  assert.match(errorId, /^[0-9a-f-]{36}$/);
  await toast.getByTestId('error-copy').click();
  await toast.getByText('Copied').waitFor();
  await page.getByTestId('import-open').click(); // closes the import panel

  await signOut(page);
  await signIn(page, 'admin');
  await page.getByTestId('logs-open').click();
  const viewer = page.getByTestId('log-viewer');
  await viewer.getByTestId('log-row').first().waitFor();
  await viewer.getByTestId('log-text').fill(errorId);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 1);
  assert.equal(await viewer.getByTestId('log-row').getAttribute('data-level'), 'warn');
  assert.match((await viewer.getByTestId('log-row').textContent()) ?? '', /DISK_SPACE_LOW/);
  await viewer.getByTestId('log-text').fill('');
  await viewer.getByTestId('log-level').selectOption('error');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="log-row"]')].every((r) => r.getAttribute('data-level') === 'error'));
});

test('an uncaught error in the window is logged and shown with its errorId', async () => {
  await page.evaluate(() => setTimeout(() => {
    throw new Error('boom from the e2e test');
  }));
  const toast = page.locator('[data-testid="error-toast"][data-code="UI_ERROR"]');
  await toast.waitFor();
  const errorId = (await toast.getAttribute('data-error-id')) ?? '';
  assert.match(errorId, /^[0-9a-f-]{36}$/);
  const logs = JSON.parse(cli('logs', '--text', errorId, '--json').stdout) as { entries: { message: string; context: Record<string, unknown> }[] };
  assert.equal(logs.entries.length, 1);
  assert.equal(logs.entries[0].message, 'window.error');
  assert.match(String(logs.entries[0].context.error), /boom from the e2e test/);
});
