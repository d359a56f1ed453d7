// The study browser end to end in Chromium against `noctis serve`: search as you type (accents
// and case ignored), a filter, sorting by a header, the summary's figures, and the keyboard
// (arrows move, Enter opens the study in the viewer).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeStudy, type StudySpec } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';
import { addUser, signIn } from './accounts';
import { launchChromium } from './browser';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
let server: ChildProcess;
let browser: Browser;
let page: Page;
const uid: Record<string, string> = {};

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

const STUDIES: Record<string, StudySpec> = {
  juergen: { patientName: 'MÜLLER^JÜRGEN', patientId: 'E2E-3', accessionNumber: 'A-1', studyDate: '20240115', modality: 'CT', institutionName: 'North Hospital', slicesPerSeries: 2 },
  anna: { patientName: 'MULLER^ANNA', patientId: 'E2E-1', accessionNumber: 'A-2', studyDate: '20230301', modality: 'MR', institutionName: 'South Hospital' },
  john: { patientName: 'SMITH^JOHN', patientId: 'E2E-4', accessionNumber: 'A-3', studyDate: today(), modality: 'CT', institutionName: 'South Hospital' },
  soeren: { patientName: 'ØSTERGAARD^SØREN', patientId: 'E2E-2', accessionNumber: 'A-4', studyDate: '20220101', modality: 'MR', institutionName: 'North Hospital' },
};

before(async () => {
  const dataDir = path.join(tempDir(), 'store');
  addUser(dataDir, 'reader', { role: 'radiologist' });
  const source = tempDir();
  for (const [name, spec] of Object.entries(STUDIES)) {
    uid[name] = writeStudy(path.join(source, name), { ...spec, charset: 'ISO_IR 192', rows: 32, columns: 32 }).studyInstanceUid;
  }
  const imported = spawnSync(process.execPath, [BIN, 'import', source, '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await signIn(page, 'reader');
  await page.getByTestId('study-row').first().waitFor();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

/** Waits until the rows shown are these studies (keys of STUDIES), in this order. */
async function expectRows(expected: string[]): Promise<void> {
  const uids = expected.map((name) => uid[name]);
  try {
    await page.waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll('[data-testid="study-row"]')].map((r) => r.getAttribute('data-study-uid'))) === JSON.stringify(want),
      uids,
      { timeout: 10_000 },
    );
  } catch (error) {
    const shown = await page.getByTestId('study-row').evaluateAll((all) => all.map((r) => r.getAttribute('data-study-uid')));
    assert.deepEqual(shown.map((u) => Object.keys(uid).find((k) => uid[k] === u) ?? u), expected, String(error));
  }
}

const figure = (field: string) => page.locator(`[data-testid="study-summary"] [data-field="${field}"]`).getAttribute('data-value');

test('every study is listed, newest first, with the figures of what matches', async () => {
  await expectRows(['john', 'juergen', 'anna', 'soeren']);
  assert.equal(await figure('studies'), '4');
  assert.equal(await figure('patients'), '4');
  assert.equal(await figure('images'), '11');
  assert.equal(await figure('modalities'), 'CT,MR');
  assert.equal(await figure('institutions'), '2');
  assert.equal(await figure('dateFrom'), '20220101');
  assert.equal(await figure('dateTo'), today());
});

test('typing narrows the list: name prefixes, accents and case ignored', async () => {
  const search = page.getByTestId('study-search');
  await search.fill('muller');
  await expectRows(['juergen', 'anna']);
  await search.fill('MÜLLER jür');
  await expectRows(['juergen']);
  assert.equal(await figure('studies'), '1');
  await search.fill('soren');
  await expectRows(['soeren']);
  await search.fill('e2e-');
  await expectRows(['john', 'juergen', 'anna', 'soeren']);
  await search.fill('');
  await expectRows(['john', 'juergen', 'anna', 'soeren']);
});

test('filters narrow the list and the figures: a modality, an institution, today', async () => {
  await page.locator('[data-testid="study-modality"][data-modality="MR"]').click();
  await expectRows(['anna', 'soeren']);
  await page.getByTestId('study-institution').selectOption('North Hospital');
  await expectRows(['soeren']);
  assert.equal(await figure('studies'), '1');
  await page.getByTestId('study-filters-clear').click();
  await expectRows(['john', 'juergen', 'anna', 'soeren']);
  await page.getByTestId('study-date-preset').selectOption('today');
  await expectRows(['john']);
  await page.getByTestId('study-date-preset').selectOption('range');
  await page.getByTestId('study-date-from').fill('2023-01-01');
  await page.getByTestId('study-date-to').fill('2024-12-31');
  await expectRows(['juergen', 'anna']);
  await page.getByTestId('study-filters-clear').click();
  await expectRows(['john', 'juergen', 'anna', 'soeren']);
});

test('clicking a column header sorts by it, again the other way', async () => {
  const header = page.locator('[data-testid="study-sort"][data-column="patientId"]');
  await header.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="study-sort"][data-column="patientId"]')?.getAttribute('aria-sort') === 'ascending');
  await expectRows(['anna', 'soeren', 'juergen', 'john']);
  await header.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="study-sort"][data-column="patientId"]')?.getAttribute('aria-sort') === 'descending');
  await expectRows(['john', 'juergen', 'soeren', 'anna']);
  assert.equal(await page.locator('[data-testid="study-sort"][data-column="studyDate"]').getAttribute('aria-sort'), 'none');
});

test('arrow keys move the cursor and Enter opens that study in the viewer', async () => {
  // Sorted by patient ID, descending: john, juergen, soeren, anna.
  await page.getByTestId('study-table').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  const cursor = page.locator('[data-testid="study-row"][aria-selected="true"]');
  assert.equal(await cursor.getAttribute('data-study-uid'), uid.juergen);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="viewport"]').first().waitFor({ timeout: 30_000 });
  await page.locator(`[data-testid="study-row"][data-study-uid="${uid.juergen}"].selected`).waitFor();
  assert.match((await page.locator('.study-title').textContent()) ?? '', /MÜLLER, JÜRGEN/);
  // From the search field too: the arrows move the cursor and Enter opens.
  await page.getByTestId('study-search').fill('smith');
  await expectRows(['john']);
  await page.getByTestId('study-search').press('ArrowDown');
  await page.getByTestId('study-search').press('Enter');
  await page.locator(`[data-testid="study-row"][data-study-uid="${uid.john}"].selected`).waitFor();
  assert.match((await page.locator('.study-title').textContent()) ?? '', /SMITH, JOHN/);
});
