// The viewer draws the pixels the files hold: one study per transfer syntax the import accepts
// and per photometric interpretation (MONOCHROME1/2, RGB, YBR_FULL, YBR_FULL_422), 8/12/16 bits,
// signed values and rescale slope/intercept. Each is a test pattern with a known value inside a
// middle square and another around it; the canvas is read back and the mean of each region is
// compared with the value written, after the modality LUT and the window the display applies.
// A frame that cannot be decoded shows a message in the viewport, not a blank canvas.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { convertTransferSyntax, type Syntax } from '../fixtures/convert';
import { htj2kEncoder, HTJ2K_LOSSLESS } from '../fixtures/htj2k';
import { displayedGrey, writePattern, type GreyPattern, type PatternShape, type Rgb, type WrittenPattern } from '../fixtures/patterns';
import { tempDir } from '../helpers';
import { addUser, signIn } from './accounts';
import { launchChromium } from './browser';
import { importInto, openStudy, regionMean, serve, viewportSelector } from './viewerPage';

/** CT, 16 bits, intercept −1024: −60 HU around, 140 HU inside. */
const CT: Omit<GreyPattern, 'patientName' | 'patientId'> = {
  kind: 'grey',
  modality: 'CT',
  bitsAllocated: 16,
  bitsStored: 16,
  rescale: { slope: 1, intercept: -1024 },
  window: { center: 40, width: 400 },
  outer: 964,
  inner: 1164,
};
/** The preset the CT cases are read with (abdomen: W 400, L 50). */
const ABDOMEN = { center: 50, width: 400 };

interface Case {
  name: string;
  spec: PatternShape;
  syntax: Syntax | 'htj2k';
  /** A window preset to apply first; else the file's own window. */
  preset?: { key: string; center: number; width: number };
  /** Grey levels (of 255) the region means may differ by. */
  tolerance: number;
  /** No preset: the file's own window applies (read from the file as written, after conversion). */
  fileWindow?: true;
}

const CASES: Case[] = [
  ...(['explicit-le', 'implicit-le', 'explicit-be', 'deflated', 'jpeg-lossless', 'jpeg-ls', 'rle', 'jpeg-2000', 'htj2k'] as const).map(
    (syntax): Case => ({ name: `CT 16-bit, ${syntax}`, spec: CT, syntax, preset: { key: 'abdomen', ...ABDOMEN }, tolerance: 3 }),
  ),
  // JPEG extended (process 2/4) is lossy and takes 12 bits at most.
  { name: 'CT 12-bit, jpeg-extended', spec: { ...CT, bitsStored: 12 }, syntax: 'jpeg-extended', preset: { key: 'abdomen', ...ABDOMEN }, tolerance: 6 },
  // Signed pixels with a rescale slope of 2: the same HU, stored as (HU + 20) / 2.
  ...(['explicit-le', 'jpeg-ls', 'jpeg-2000'] as const).map(
    (syntax): Case => ({
      name: `CT signed, slope 2, ${syntax}`,
      spec: { ...CT, signed: true, rescale: { slope: 2, intercept: -20 }, outer: -20, inner: 80 },
      syntax,
      preset: { key: 'abdomen', ...ABDOMEN },
      tolerance: 3,
    }),
  ),
  // MONOCHROME1, 12 bits, shown with the file's window: 1000 around, 3000 inside (as displayed).
  ...(['explicit-le', 'jpeg-lossless'] as const).map(
    (syntax): Case => ({
      name: `CR MONOCHROME1 12-bit, ${syntax}`,
      spec: { kind: 'grey', modality: 'CR', bitsAllocated: 16, bitsStored: 12, monochrome1: true, window: { center: 2048, width: 4096 }, outer: 4095 - 1000, inner: 4095 - 3000 },
      syntax,
      tolerance: 3,
      fileWindow: true,
    }),
  ),
  // 8-bit grey: native and JPEG baseline (lossy).
  ...([
    ['explicit-le', 3],
    ['jpeg-baseline', 8],
  ] as const).map(
    ([syntax, tolerance]): Case => ({
      name: `8-bit grey, ${syntax}`,
      spec: { kind: 'grey', modality: 'OT', bitsAllocated: 8, bitsStored: 8, window: { center: 120, width: 200 }, outer: 60, inner: 190 },
      syntax,
      tolerance,
      // dcmcjpeg writes a window of its own into the lossy file: the file's, whichever it is.
      fileWindow: true,
    }),
  ),
  // Colour cines: RGB native and RLE, YBR_FULL native, YBR_FULL_422 from JPEG baseline.
  ...([
    ['RGB', 'explicit-le', 3],
    ['RGB', 'rle', 3],
    ['RGB', 'jpeg-baseline', 10],
    ['YBR_FULL', 'explicit-le', 3],
  ] as const).map(
    ([photometric, syntax, tolerance]): Case => ({
      name: `US ${photometric}${syntax === 'jpeg-baseline' ? ' → YBR_FULL_422' : ''}, ${syntax}, 3 frames`,
      spec: { kind: 'colour', modality: 'US', photometric, frames: 3, rows: 48, columns: 64, outer: [40, 80, 120], inner: [200, 60, 30] },
      syntax,
      tolerance,
    }),
  ),
];

/** JPEG 2000 files are written by gdcm (Debian's libgdcm-tools); without it those cases are skipped. */
const NO_GDCM = spawnSync('gdcmconv', ['--version']).error ? 'gdcmconv not found: apt-get install libgdcm-tools' : undefined;
const runnable = (c: Case) => !(c.syntax === 'jpeg-2000' && NO_GDCM);

let server: ChildProcess;
let browser: Browser;
let page: Page;
const written = new Map<Case, WrittenPattern>();
const patientIds = new Map<Case, string>();
const fileWindows = new Map<Case, { center: number; width: number }>();

/** The file's first WindowCenter/WindowWidth, as dcmtk reads them. */
function fileWindowOf(file: string): { center: number; width: number } {
  const dump = execFileSync('dcmdump', ['+P', '0028,1050', '+P', '0028,1051', file], { encoding: 'utf8' });
  const value = (tag: string) => Number(new RegExp(`^\\(${tag}\\) DS \\[([^\\]\\\\]+)`, 'm').exec(dump)?.[1]);
  return { center: value('0028,1050'), width: value('0028,1051') };
}
let broken: WrittenPattern;

before(async () => {
  const source = tempDir();
  const dataDir = path.join(tempDir(), 'store');
  const encoder = await htj2kEncoder();
  CASES.forEach((c, i) => {
    if (!runnable(c)) return;
    const spec = { ...c.spec, patientName: `TS^${c.name.replace(/[^A-Za-z0-9]+/g, '_')}`, patientId: `TS${String(i).padStart(2, '0')}` };
    patientIds.set(c, spec.patientId);
    if (c.syntax === 'htj2k') {
      written.set(c, writePattern(source, spec, { encoder, transferSyntaxUid: HTJ2K_LOSSLESS }));
      return;
    }
    const pattern = writePattern(source, spec);
    if (c.syntax !== 'explicit-le') convertTransferSyntax(pattern.path, pattern.path, c.syntax);
    written.set(c, pattern);
    if (c.fileWindow) fileWindows.set(c, fileWindowOf(pattern.path));
  });
  // JPEG-LS whose code stream lost its start-of-image marker: imported, but cannot be decoded.
  broken = writePattern(source, { ...CT, patientName: 'TS^BROKEN', patientId: 'TSXX' });
  convertTransferSyntax(broken.path, broken.path, 'jpeg-ls');
  const bytes = fs.readFileSync(broken.path);
  const soi = bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff, 0xf7]));
  assert.ok(soi > 0, 'the JPEG-LS code stream starts with SOI, SOF55');
  bytes.fill(0, soi, soi + 4);
  fs.writeFileSync(broken.path, bytes);

  importInto(dataDir, source);
  addUser(dataDir, 'reader', { role: 'radiologist' });
  let url: string;
  ({ server, url } = await serve(dataDir));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await signIn(page, 'reader');
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

const INNER = { x0: 0.42, x1: 0.58, y0: 0.42, y1: 0.58 };
const OUTER = { x0: 0.06, x1: 0.2, y0: 0.42, y1: 0.58 };

for (const c of CASES) {
  test(`displays ${c.name} with the written values`, { skip: runnable(c) ? false : NO_GDCM }, async () => {
    const pattern = written.get(c)!;
    await openStudy(page, pattern.studyInstanceUid, pattern.seriesInstanceUid, patientIds.get(c));
    const image = { rows: c.spec.rows ?? 64, columns: c.spec.columns ?? 64 };
    if (c.spec.kind === 'colour') assert.equal(await page.locator(viewportSelector(0)).getAttribute('data-image-count'), String(c.spec.frames));
    const window = c.preset ?? fileWindows.get(c);
    if (c.preset) await page.locator(`[data-testid="wl-preset"][data-preset="${c.preset.key}"]`).click();
    if (window) {
      const overlay = page.locator(`${viewportSelector(0)} [data-testid="overlay-wl"]`);
      await overlay
        .filter({ hasText: `W ${window.width} L ${window.center}` })
        .waitFor({ timeout: 5000 })
        .catch(async () => assert.fail(`${c.name}: the overlay says ${await overlay.innerText()}, expected W ${window.width} L ${window.center}`));
    }
    // The overlay follows the render in the same frame; one more frame for good measure.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const inner = await regionMean(page, 0, image, INNER);
    const outer = await regionMean(page, 0, image, OUTER);
    const expect = (value: number | Rgb): Rgb => {
      if (typeof value !== 'number') return value;
      const grey = displayedGrey(c.spec as GreyPattern, value, window!);
      return [grey, grey, grey];
    };
    for (const [name, got, want] of [
      ['inner', inner, expect(c.spec.inner)],
      ['outer', outer, expect(c.spec.outer)],
    ] as const) {
      const channels = [got.r, got.g, got.b];
      channels.forEach((v, i) => {
        assert.ok(
          Math.abs(v - want[i]) <= c.tolerance,
          `${c.name}: ${name} region channel ${'RGB'[i]} is ${v.toFixed(1)}, expected ${want[i].toFixed(1)} ± ${c.tolerance}`,
        );
      });
    }
  });
}

test('a frame that cannot be decoded shows a message in the viewport, not a blank canvas', async () => {
  await page.getByTestId('study-search').fill('TSXX');
  await page.locator(`[data-testid="study-row"][data-study-uid="${broken.studyInstanceUid}"]`).click();
  const error = page.locator(`${viewportSelector(0)}[data-series-uid="${broken.seriesInstanceUid}"] [data-testid="viewport-error"]`);
  await error.waitFor({ timeout: 20_000 });
  assert.match(await error.innerText(), /cannot be displayed.*JPEG-LS/s, "with the decoder's reason");
  assert.equal(await page.locator(viewportSelector(0)).getAttribute('data-rendered'), 'false');
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('error-toast').count(), 0, 'the viewport says it; no window error on top');
});
