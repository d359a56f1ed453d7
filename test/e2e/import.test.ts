// The import UI end to end in Chromium against `noctis serve`: a typed path with a report of
// every problem file, progress and cancel, and files dropped on the window (uploaded).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';
import { addUser, signIn } from './accounts';
import { launchChromium } from './browser';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
let server: ChildProcess;
let browser: Browser;
let page: Page;

before(async () => {
  const dataDir = path.join(tempDir(), 'store');
  // Importing is a technologist's work.
  addUser(dataDir, 'tech', { role: 'technologist' });
  server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await signIn(page, 'tech');
  await page.getByTestId('import-open').waitFor();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function importPath(folder: string) {
  await page.getByTestId('import-path').fill(folder);
  await page.getByTestId('import-start').click();
}

test('importing a typed path reports every file, and the study appears in the list', async () => {
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'UI^IMPORT', patientId: 'UI01', seriesCount: 2, slicesPerSeries: 3 });
  fs.writeFileSync(path.join(source, 'AUTORUN.INF'), '[autorun]\nopen=viewer.exe\n');
  fs.writeFileSync(path.join(source, 'empty.dcm'), '');
  await page.getByTestId('import-open').click();
  await importPath(source);
  const report = page.locator('[data-testid="import-report"][data-status="completed"]');
  await report.waitFor({ timeout: 30_000 });
  assert.equal(await report.locator('[data-field="imported"]').textContent(), '6');
  assert.equal(await report.locator('[data-field="invalid"]').textContent(), '2');
  const problems = await report.getByTestId('import-error').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
  assert.deepEqual(problems.sort(), ['not_dicom', 'not_dicom']);
  await page.locator(`[data-testid="study-row"][data-study-uid="${study.studyInstanceUid}"]`).waitFor();
});

test('a running import shows progress and can be cancelled', async () => {
  const source = tempDir();
  writeStudy(source, { patientName: 'UI^CANCEL', patientId: 'UI02', seriesCount: 8, slicesPerSeries: 100, rows: 128, columns: 128 });
  await importPath(source);
  const progress = page.getByTestId('import-progress');
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="import-progress"]');
    return el !== null && Number(el.getAttribute('data-done')) > 0;
  });
  const total = Number(await progress.getAttribute('data-total'));
  assert.ok(total > 0 && total <= 800, `total ${total}`);
  await page.getByTestId('import-cancel').click();
  const report = page.locator('[data-testid="import-report"]');
  await report.waitFor({ timeout: 30_000 });
  const status = await report.getAttribute('data-status');
  const imported = Number(await report.locator('[data-field="imported"]').textContent());
  assert.equal(status, 'cancelled', `imported ${imported} of 800 before the cancel`);
  assert.ok(imported < 800);
});

test('files dropped on the window are uploaded and imported', async () => {
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'UI^DROP', patientId: 'UI03', slicesPerSeries: 2 });
  const files = study.instances.map((i) => ({ name: path.basename(i.path), bytes: [...fs.readFileSync(i.path)] }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'application/dicom' }));
    return dt;
  }, files);
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
  const report = page.locator('[data-testid="import-report"][data-status="completed"]');
  await report.waitFor({ timeout: 30_000 });
  assert.equal(await report.locator('[data-field="imported"]').textContent(), '2');
  await page.locator(`[data-testid="study-row"][data-study-uid="${study.studyInstanceUid}"]`).waitFor();
});
