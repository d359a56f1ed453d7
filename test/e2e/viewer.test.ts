// End to end, as a user does it: import with the CLI, start `noctis serve`, open its URL in
// Debian's Chromium, find the study, open it, and see pixels.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';
import { addUser, signIn } from './accounts';
import { launchChromium } from './browser';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
let server: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;
let ct: GeneratedStudy;
let mr: GeneratedStudy;

before(async () => {
  const source = tempDir();
  const dataDir = path.join(tempDir(), 'store');
  ct = writeStudy(source, { patientName: 'VIEWER^CT', patientId: 'E2E01', rows: 128, columns: 128, slicesPerSeries: 3 });
  mr = writeStudy(source, { patientName: 'VIEWER^MR', patientId: 'E2E02', modality: 'MR', slicesPerSeries: 2 });
  const imported = spawnSync(process.execPath, [BIN, 'import', source, '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  addUser(dataDir, 'reader', { role: 'radiologist' });

  server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

/** Mean and variance of the viewport canvas's luminance. */
async function canvasStats(): Promise<{ mean: number; variance: number; width: number }> {
  return page.locator('[data-testid="viewport"] canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sumSq = 0;
    const n = width * height;
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += y;
      sumSq += y * y;
    }
    const mean = sum / n;
    return { mean, variance: sumSq / n - mean * mean, width };
  });
}

test('the study list shows imported studies and searches as you type', async () => {
  await page.goto(url);
  await signIn(page, 'reader');
  const rows = page.getByTestId('study-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2);
  assert.equal(new URL(page.url()).searchParams.has('token'), false, 'the token leaves the address bar');
  await page.getByTestId('study-search').fill('viewer^m');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="study-row"]').length === 1);
  assert.equal(await rows.first().getAttribute('data-study-uid'), mr.studyInstanceUid);
  await page.getByTestId('study-search').fill('');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="study-row"]').length === 2);
});

test('opening a study renders its first image in the Cornerstone viewport', async () => {
  await page.locator(`[data-testid="study-row"][data-study-uid="${ct.studyInstanceUid}"]`).click();
  const viewport = page.locator('[data-testid="viewport"][data-rendered="true"]');
  await viewport.waitFor({ timeout: 30_000 });
  assert.equal(await viewport.getAttribute('data-image-index'), '0');
  assert.equal(await viewport.getAttribute('data-image-count'), '3');
  const stats = await canvasStats();
  assert.ok(stats.width > 0);
  assert.ok(stats.variance > 0, `the canvas is not blank (variance ${stats.variance})`);
});

test('the mouse wheel scrolls the stack and left-drag changes window/level', async () => {
  const viewport = page.getByTestId('viewport');
  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const before = await canvasStats();
  await page.mouse.wheel(0, 120);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="viewport"]');
    return el?.getAttribute('data-image-index') === '1' && el.getAttribute('data-rendered') === 'true';
  });
  const next = await canvasStats();
  assert.notEqual(next.mean.toFixed(3), before.mean.toFixed(3), 'the next slice differs');

  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 100, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(200);
  const levelled = await canvasStats();
  assert.ok(Math.abs(levelled.mean - next.mean) > 1, `window/level changed the picture (${next.mean} → ${levelled.mean})`);
});
