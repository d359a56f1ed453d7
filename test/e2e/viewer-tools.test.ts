// The viewer as a radiologist uses it, in one page against `noctis serve`: series thumbnails
// (made once, kept in the store) dragged into a 1×1, 1×2, 2×1 or 2×2 grid; stack navigation by
// wheel, keys and drag; cine of a multi-frame US; window presets and view actions with the
// overlays and orientation markers; synchronised scrolling by frame of reference; every
// measuring tool, kept across a reload and deletable; the tag browser; PNG export; the shortcuts'
// help; and what a technologist (no measuring) sees.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { newUid, writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { tempDir } from '../helpers';
import { addUser, signIn, signOut } from './accounts';
import { launchChromium } from './browser';
import { BIN, imageIndex, importInto, openStudy, regionMean, serve, viewportSelector, waitForImage } from './viewerPage';

let server: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;
let dataDir: string;
/** Series A and B share a frame of reference; C has its own. */
let ct: GeneratedStudy;
let us: GeneratedStudy;
const [A, B, C] = [0, 1, 2];

before(async () => {
  const source = tempDir();
  dataDir = path.join(tempDir(), 'store');
  const studyInstanceUid = newUid();
  const shared = writeStudy(source, { patientName: 'TOOLS^CT', patientId: 'TOOLS1', rows: 128, columns: 128, slicesPerSeries: 8, seriesCount: 2, studyInstanceUid, frameOfReferenceUid: newUid() });
  const other = writeStudy(source, { patientName: 'TOOLS^CT', patientId: 'TOOLS1', rows: 128, columns: 128, slicesPerSeries: 8, studyInstanceUid, firstSeriesNumber: 3 });
  ct = { studyInstanceUid, seriesInstanceUids: [...shared.seriesInstanceUids, ...other.seriesInstanceUids], instances: [...shared.instances, ...other.instances] };
  // A sequence in the first image, for the tag browser.
  const edit = spawnSync('dcmodify', ['-nb', '-i', '(0008,1140)[0].(0008,1150)=1.2.840.10008.5.1.4.1.1.2', '-i', '(0008,1140)[0].(0008,1155)=1.2.3.4.5', ct.instances[0].path], { encoding: 'utf8' });
  assert.equal(edit.status, 0, edit.stderr);
  us = writeStudy(source, { patientName: 'TOOLS^US', patientId: 'TOOLS2', modality: 'US', frames: 8, rows: 120, columns: 160 });
  importInto(dataDir, source);
  addUser(dataDir, 'reader', { role: 'radiologist' });
  addUser(dataDir, 'tech', { role: 'technologist' });
  ({ server, url } = await serve(dataDir));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await signIn(page, 'reader');
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

const viewport = (slot = 0) => page.locator(viewportSelector(slot));
const centre = async (slot = 0) => {
  const box = (await viewport(slot).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
};
/** Cornerstone takes two presses within 400 ms for a double click: separate gestures wait. */
const pause = () => page.waitForTimeout(450);
async function drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await pause();
}
async function click(at: { x: number; y: number }): Promise<void> {
  await page.mouse.move(at.x, at.y, { steps: 4 });
  await page.mouse.down();
  await page.mouse.up();
  await pause();
}
const rows = () => page.getByTestId('measurement-row');

test('opening a study shows its series with thumbnails, made once and kept in the store', async () => {
  await openStudy(page, ct.studyInstanceUid, ct.seriesInstanceUids[A], 'TOOLS1');
  const thumbs = page.getByTestId('series-thumb');
  assert.deepEqual(await thumbs.evaluateAll((els) => els.map((e) => e.getAttribute('data-series-uid'))), ct.seriesInstanceUids);
  assert.match(await thumbs.first().innerText(), /CT · 8 images/);
  await page.locator('[data-testid="series-thumb"] img').nth(2).waitFor({ timeout: 20_000 });
  const db = new Database(path.join(dataDir, 'noctis.sqlite'), { readonly: true });
  try {
    await waitFor(() => (db.prepare('SELECT count(*) AS n FROM series_thumbnails').get() as { n: number }).n === 3, 'three thumbnails stored');
  } finally {
    db.close();
  }
  assert.equal(await viewport().getAttribute('data-active'), 'true');
});

test('layouts 1×2, 2×1 and 2×2; a series dragged onto a viewport; the clicked viewport is active', async () => {
  await page.getByTestId('layout-1x2').click();
  await waitForImage(page, 1, 0);
  assert.equal(await page.getByTestId('viewport').count(), 2);
  await page.getByTestId('layout-2x1').click();
  assert.equal(await page.getByTestId('viewport').count(), 2);
  await page.getByTestId('layout-2x2').click();
  assert.equal(await page.getByTestId('viewport').count(), 4);
  for (let slot = 0; slot < 4; slot++) await waitForImage(page, slot, 0);
  // Every viewport carries the contract's attributes; one is active.
  const attrs = await page.getByTestId('viewport').evaluateAll((els) => els.map((e) => [e.getAttribute('data-image-count'), e.getAttribute('data-active')]));
  assert.deepEqual(attrs.map(([count]) => count), ['8', '8', '8', '8']);
  assert.deepEqual(attrs.map(([, active]) => active), ['true', 'false', 'false', 'false']);
  assert.deepEqual(await page.getByTestId('viewport').evaluateAll((els) => els.map((e) => e.getAttribute('data-series-uid'))), [
    ct.seriesInstanceUids[A],
    ct.seriesInstanceUids[B],
    ct.seriesInstanceUids[C],
    ct.seriesInstanceUids[A],
  ]);

  await page.locator(`[data-testid="series-thumb"][data-series-uid="${ct.seriesInstanceUids[B]}"]`).dragTo(viewport(3));
  await page.locator(`${viewportSelector(3)}[data-series-uid="${ct.seriesInstanceUids[B]}"][data-rendered="true"]`).waitFor();
  assert.equal(await viewport(3).getAttribute('data-active'), 'true', 'the viewport dropped on becomes active');

  const { x, y } = await centre(2);
  await page.mouse.click(x, y);
  await pause();
  assert.equal(await viewport(2).getAttribute('data-active'), 'true');
  assert.equal(await page.locator('[data-testid="viewport"][data-active="true"]').count(), 1);
});

test('synchronised scrolling follows viewports of the same frame of reference only', async () => {
  // Now: 0 = A, 1 = B, 2 = C, 3 = B. A and B share a frame of reference.
  await page.getByTestId('sync-toggle').click();
  const { x, y } = await centre(0);
  await page.mouse.move(x, y);
  for (let i = 0; i < 3; i++) {
    await page.mouse.wheel(0, 100);
    await page.waitForTimeout(60);
  }
  await waitForImage(page, 0, 3);
  await waitForImage(page, 1, 3);
  await waitForImage(page, 3, 3);
  assert.equal(await imageIndex(page, 2), 0, 'another frame of reference stays');

  await page.getByTestId('sync-toggle').click();
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, 100);
  await waitForImage(page, 0, 4);
  await page.waitForTimeout(300);
  assert.equal(await imageIndex(page, 1), 3, 'unsynchronised, the others stay');
  await page.getByTestId('layout-1x1').click();
  assert.equal(await page.getByTestId('viewport').count(), 1);
});

test('stack navigation: arrow keys, Home/End, and dragging with the scroll tool', async () => {
  await page.locator(`[data-testid="series-thumb"][data-series-uid="${ct.seriesInstanceUids[A]}"]`).click();
  await waitForImage(page, 0, 0);
  await page.keyboard.press('ArrowDown');
  await waitForImage(page, 0, 1);
  await page.keyboard.press('ArrowDown');
  await waitForImage(page, 0, 2);
  await page.keyboard.press('ArrowUp');
  await waitForImage(page, 0, 1);
  await page.keyboard.press('End');
  await waitForImage(page, 0, 7);
  await page.keyboard.press('Home');
  await waitForImage(page, 0, 0);
  assert.match(await viewport().getByTestId('overlay-image').innerText(), /Im 1 \/ 8/);

  await page.getByTestId('tool-scroll').click();
  const { x, box } = await centre();
  await drag({ x, y: box.y + 40 }, { x, y: box.y + box.height - 40 });
  assert.ok((await imageIndex(page)) > 0, 'dragging down moved through the stack');
  await page.keyboard.press('Home');
  await waitForImage(page, 0, 0);
  await page.getByTestId('tool-wl').click();
});

test('window presets, view actions, overlays and orientation markers', async () => {
  const wl = viewport().getByTestId('overlay-wl');
  assert.equal(await wl.innerText(), 'W 400 L 40', "the file's window first");
  const presets = await page.getByTestId('wl-preset').evaluateAll((els) => els.map((e) => e.getAttribute('data-preset')));
  assert.deepEqual(presets, ['brain', 'subdural', 'stroke', 'lung', 'mediastinum', 'abdomen', 'liver', 'bone', 'file-1']);
  await page.locator('[data-testid="wl-preset"][data-preset="lung"]').click();
  await wl.filter({ hasText: 'W 1500 L -600' }).waitFor();
  await page.keyboard.press('1'); // the first preset: brain
  await wl.filter({ hasText: 'W 80 L 40' }).waitFor();
  await page.locator('[data-testid="wl-preset"][data-preset="file-1"]').click();
  await wl.filter({ hasText: 'W 400 L 40' }).waitFor();

  // Axial (ImageOrientationPatient 1\0\0\0\1\0): anterior at the top, the patient's right on the left.
  const top = viewport().getByTestId('orientation-top');
  const left = viewport().getByTestId('orientation-left');
  assert.equal(await top.innerText(), 'A');
  assert.equal(await left.innerText(), 'R');
  await page.getByTestId('view-rotate').click();
  await top.filter({ hasText: /^R$/ }).waitFor();
  await page.getByTestId('view-flipH').click();
  await left.filter({ hasText: /^A$/ }).waitFor();
  await page.getByTestId('view-reset').click();
  await top.filter({ hasText: /^A$/ }).waitFor();
  assert.equal(await left.innerText(), 'R');
  await page.getByTestId('view-flipV').click();
  await top.filter({ hasText: /^P$/ }).waitFor();
  await page.keyboard.press('Shift+R');
  await top.filter({ hasText: /^A$/ }).waitFor();

  const image = { rows: 128, columns: 128 };
  const middle = { x0: 0.45, x1: 0.55, y0: 0.45, y1: 0.55 };
  const plain = await regionMean(page, 0, image, middle);
  await page.getByTestId('view-invert').click();
  await page.waitForTimeout(200);
  const inverted = await regionMean(page, 0, image, middle);
  assert.ok(Math.abs(inverted.r - (255 - plain.r)) < 4, `invert: ${plain.r.toFixed(1)} → ${inverted.r.toFixed(1)}`);
  await page.getByTestId('view-invert').click();

  const zoom = viewport().getByTestId('overlay-zoom');
  const fitted = await zoom.innerText();
  await page.getByTestId('view-zoomIn').click();
  await page.waitForFunction((was) => document.querySelector('[data-testid="overlay-zoom"]')?.textContent !== was, fitted);
  await page.getByTestId('view-fit').click();
  await zoom.filter({ hasText: fitted }).waitFor();
  assert.match(await viewport().innerText(), /Thk 2\.5 mm/);

  // The zoom and pan tools on the left button.
  const { x, y } = await centre();
  await page.getByTestId('tool-zoom').click();
  await drag({ x, y }, { x, y: y - 120 });
  assert.notEqual(await zoom.innerText(), fitted, 'dragging zooms');
  await page.getByTestId('view-fit').click();
  await zoom.filter({ hasText: fitted }).waitFor();
  await page.getByTestId('tool-pan').click();
  const unpanned = await regionMean(page, 0, image, middle);
  await drag({ x, y }, { x: x + 150, y: y + 20 });
  const panned = await regionMean(page, 0, image, middle);
  assert.equal(await zoom.innerText(), fitted, 'panning keeps the zoom');
  assert.ok(Math.abs(panned.r - unpanned.r) > 3, `the image moved under the middle (${unpanned.r.toFixed(1)} → ${panned.r.toFixed(1)})`);
  await page.getByTestId('view-reset').click();
  await page.getByTestId('tool-wl').click();
});

test('each measuring tool draws a measurement that is saved and listed', async () => {
  // Apart from each other, so that no gesture lands on another measurement's handle or label.
  const { x, y } = await centre();
  await page.getByTestId('tool-length').click();
  await drag({ x: x - 200, y: y - 200 }, { x: x - 40, y: y - 200 });
  await rows().filter({ hasText: /Length \d+(\.\d)? mm/ }).waitFor();

  await page.getByTestId('tool-angle').click();
  await click({ x: x - 220, y: y + 200 });
  await click({ x: x - 150, y: y + 120 });
  await click({ x: x - 80, y: y + 200 });
  await rows().filter({ hasText: /Angle \d+(\.\d)?°/ }).waitFor();

  await page.getByTestId('tool-ellipse').click();
  await drag({ x: x - 60, y: y - 40 }, { x: x + 20, y: y + 40 });
  await rows().filter({ hasText: /Ellipse mean -?\d+(\.\d)? HU, SD \d+(\.\d)?, min -?\d+, max -?\d+, area \d+(\.\d)? mm²/ }).waitFor();

  await page.getByTestId('tool-rectangle').click();
  await drag({ x: x + 60, y: y - 220 }, { x: x + 140, y: y - 150 });
  await rows().filter({ hasText: /Rectangle mean -?\d+(\.\d)? HU, SD/ }).waitFor();

  await page.getByTestId('tool-probe').click();
  await click({ x: x + 60, y: y + 200 });
  await rows().filter({ hasText: /Probe -?\d+(\.\d)? HU/ }).waitFor();
  assert.equal(await rows().count(), 5);
  await page.getByTestId('tool-wl').click();
});

test('measurements come back after a reload, on their image, and a deleted one stays deleted', async () => {
  const before = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-tool')).sort());
  await page.reload();
  await signIn(page, 'reader');
  await openStudy(page, ct.studyInstanceUid, ct.seriesInstanceUids[A], 'TOOLS1');
  await waitFor(async () => (await rows().count()) === 5, 'five measurements listed');
  assert.deepEqual(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-tool')).sort()), before);
  // Drawn again on their image: Cornerstone's annotation layer has them.
  await waitFor(async () => (await viewport().locator('svg [data-annotation-uid]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('data-annotation-uid'))).size)) === 5, 'five annotations drawn');

  await page.locator('[data-testid="measurement-row"][data-tool="Probe"]').getByTestId('measurement-delete').click();
  await waitFor(async () => (await rows().count()) === 4, 'four left');
  await page.reload();
  await signIn(page, 'reader');
  await openStudy(page, ct.studyInstanceUid, ct.seriesInstanceUids[A], 'TOOLS1');
  await waitFor(async () => (await rows().count()) === 4, 'still four after a reload');
  assert.equal(await page.locator('[data-testid="measurement-row"][data-tool="Probe"]').count(), 0);
});

test('a cine plays a multi-frame US at the chosen rate; a length without pixel spacing says px', async () => {
  await openStudy(page, us.studyInstanceUid, us.seriesInstanceUids[0], 'TOOLS2');
  assert.equal(await viewport().getAttribute('data-image-count'), '8', 'eight frames, one stack');
  await page.getByTestId('cine-fps').fill('20');
  await page.getByTestId('cine-toggle').click();
  assert.equal(await page.getByTestId('cine-toggle').getAttribute('aria-pressed'), 'true');
  const seen = new Set<number>();
  const started = Date.now();
  while (Date.now() - started < 1200) {
    seen.add(await imageIndex(page));
    await page.waitForTimeout(40);
  }
  await page.getByTestId('cine-toggle').click();
  assert.ok(seen.size >= 5, `frames shown in 1.2 s at 20 fps: ${[...seen].join(', ')}`);
  // The keyboard belongs to the viewer again once the fps field is left.
  await viewport().click();
  const stopped = await imageIndex(page);
  await page.waitForTimeout(300);
  assert.equal(await imageIndex(page), stopped, 'stopped');

  await page.keyboard.press('Home');
  await waitForImage(page, 0, 0);
  const { x, y } = await centre();
  await page.getByTestId('tool-length').click();
  await drag({ x: x - 100, y }, { x: x + 100, y });
  await rows().filter({ hasText: /Length \d+(\.\d)? px/ }).waitFor();
  await page.getByTestId('tool-wl').click();
});

test('the tag browser lists the current image’s elements, expands sequences and searches', async () => {
  await openStudy(page, ct.studyInstanceUid, ct.seriesInstanceUids[A], 'TOOLS1');
  const browserPanel = page.getByTestId('tag-browser');
  const patientName = browserPanel.locator('[data-testid="tag-row"][data-tag="(0010,0010)"]');
  await patientName.waitFor();
  assert.match(await patientName.innerText(), /PatientName\s+PN\s+TOOLS\^CT/);
  const sequence = browserPanel.locator('[data-testid="tag-row"][data-tag="(0008,1140)"]');
  assert.match(await sequence.innerText(), /ReferencedImageSequence\s+SQ/);
  const nested = browserPanel.locator('[data-testid="tag-row"][data-tag="(0008,1155)"]');
  assert.equal(await nested.count(), 0, 'collapsed at first');
  await sequence.getByTestId('tag-expand').click();
  assert.match(await nested.innerText(), /1\.2\.3\.4\.5/);

  await page.getByTestId('tag-search').fill('1.2.3.4.5');
  await waitFor(async () => (await browserPanel.getByTestId('tag-row').count()) === 2, 'the match and its sequence');
  await page.getByTestId('tag-search').fill('instancenumber');
  const instanceNumber = browserPanel.locator('[data-testid="tag-row"][data-tag="(0020,0013)"] [data-testid="tag-value"]');
  await instanceNumber.filter({ hasText: /^1$/ }).waitFor();
  // The next image's elements follow the viewport.
  await viewport().click();
  await page.keyboard.press('ArrowDown');
  await waitForImage(page, 0, 1);
  await instanceNumber.filter({ hasText: /^2$/ }).waitFor();
  await page.getByTestId('tag-search').fill('');
  await viewport().click();
});

test('the viewport exports as PNG (audited), and the help overlay lists the shortcuts', async () => {
  const download = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  const file = await (await download).path();
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const audit = spawnSync(process.execPath, [BIN, 'audit', 'list', '--json', '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(audit.status, 0, audit.stderr);
  assert.match(audit.stdout, /image exported as PNG/);

  await page.locator('body').press('?');
  const help = page.getByTestId('help-overlay');
  await help.waitFor();
  assert.match(await help.innerText(), /Previous image[\s\S]*Length[\s\S]*Rotate 90°/);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
});

test('a technologist views and browses tags but has no measuring tools, measurements or export', async () => {
  await signOut(page);
  await signIn(page, 'tech');
  await openStudy(page, ct.studyInstanceUid, ct.seriesInstanceUids[A], 'TOOLS1');
  assert.equal(await page.getByTestId('tool-length').count(), 0);
  assert.equal(await page.getByTestId('tool-ellipse').count(), 0);
  assert.equal(await page.getByTestId('measurement-row').count(), 0);
  assert.equal(await page.getByTestId('export-png').count(), 0);
  await page.getByTestId('tag-browser').locator('[data-testid="tag-row"][data-tag="(0010,0010)"]').waitFor();
  await page.keyboard.press('l'); // the length shortcut does nothing for this role
  const { x, y } = await centre();
  await drag({ x: x - 50, y }, { x: x + 50, y });
  assert.equal(await viewport().locator('svg [data-annotation-uid]').count(), 0);
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
