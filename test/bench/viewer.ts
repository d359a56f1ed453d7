// Benchmark of the viewer (not a test): drives Debian's Chromium against `noctis serve` with
// generated studies and prints medians over repeated runs.
//
//   npm run bench:viewer [-- --slices 300 --runs 5 --json FILE]
//
// 1. First image: time from clicking a study in the list to Cornerstone's IMAGE_RENDERED of its
//    first image (listened for in the page, as OHIF's STUDY_TO_FIRST_IMAGE), for studies never
//    opened before in that page; the very first open (Cornerstone starting, codecs compiling) is
//    reported apart as "cold".
// 2. Scrolling: a 512×512 CT series of `--slices` images in explicit VR little endian, JPEG-LS
//    and JPEG 2000 (lossless, gdcm), each scrolled through once to load it, then through and
//    back with the arrow keys, the next key sent as soon as the current image is rendered:
//    images rendered per second.
// Targets (headless Chromium, software rendering, 2 cores): first image ≤ 200 ms; scrolling
// ≥ 55 images/s (the display's 60 Hz caps it). Needs chromium, dcmtk and gdcm (libgdcm-tools).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { addUser, signIn } from '../e2e/accounts';
import { launchChromium } from '../e2e/browser';
import { convertTransferSyntax, type Syntax } from '../fixtures/convert';
import { newUid, writePart10 } from '../fixtures/generate';
import { REPO_ROOT } from '../helpers';

const TARGET_FIRST_MS = 200;
const TARGET_RATE = 55;
const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');

const { values } = parseArgs({
  options: {
    slices: { type: 'string', default: '300' },
    runs: { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const SLICES = Number(values.slices);
const RUNS = Math.max(1, Number(values.runs));

interface BenchSeries {
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  files: string[];
}

/** A 512×512 CT slice with noise (so that it compresses as a real one does, ~2–3:1 lossless). */
function ctSlice(size: number, slice: number, seed: number): Int16Array {
  const pixels = new Int16Array(size * size);
  let s = seed * 7919 + slice * 104729 + 1;
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 2;
  };
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bx = (x - c) / (size * 0.42);
      const by = (y - c) / (size * 0.32);
      const lung = ((Math.abs(x - c) - size * 0.17) / (size * 0.12)) ** 2 + ((y - c) / (size * 0.2)) ** 2 < 1;
      const spine = (x - c) ** 2 + (y - c - size * 0.2) ** 2 < (size * 0.05) ** 2;
      const lesion = (x - c - size * 0.1) ** 2 + (y - c + (slice % 40) - 20) ** 2 < (size * 0.03) ** 2;
      let hu: number;
      if (bx * bx + by * by > 1) hu = -1000 + 5 * noise();
      else if (spine) hu = 700 + 60 * noise();
      else if (lung) hu = -820 + 40 * noise();
      else if (lesion) hu = 60 + 12 * noise();
      else hu = 40 + 15 * noise();
      pixels[y * size + x] = Math.round(hu);
    }
  }
  return pixels;
}

function writeSeries(dir: string, patientId: string, slices: number, seed: number): BenchSeries {
  const studyInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const frameOfReference = newUid();
  const files: string[] = [];
  fs.mkdirSync(path.join(dir, patientId), { recursive: true });
  for (let i = 0; i < slices; i++) {
    const sop = newUid();
    const file = path.join(dir, patientId, `IMG${String(i + 1).padStart(5, '0')}.dcm`);
    writePart10(file, {
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: sop,
      StudyDate: '20261204',
      StudyTime: '090000',
      AccessionNumber: `BENCH${patientId}`,
      Modality: 'CT',
      ReferringPhysicianName: '',
      StudyDescription: `BENCH ${patientId}`,
      SeriesDescription: 'Chest 1 mm',
      PatientName: `BENCH^${patientId}`,
      PatientID: patientId,
      PatientBirthDate: '19600101',
      PatientSex: 'O',
      StudyInstanceUID: studyInstanceUid,
      SeriesInstanceUID: seriesInstanceUid,
      StudyID: '1',
      SeriesNumber: '1',
      InstanceNumber: String(i + 1),
      FrameOfReferenceUID: frameOfReference,
      ImagePositionPatient: [-180, -180, -i],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      SliceThickness: 1,
      SliceLocation: -i,
      PixelSpacing: [0.7, 0.7],
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: 512,
      Columns: 512,
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      RescaleIntercept: '0',
      RescaleSlope: '1',
      WindowCenter: '40',
      WindowWidth: '400',
      PixelData: [ctSlice(512, i, seed).buffer],
      _vrMap: { PixelData: 'OW' },
    });
    files.push(file);
  }
  return { patientId, studyInstanceUid, seriesInstanceUid, files };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// The in-page probes are plain JavaScript text: tsx would wrap named functions inside a
// page.evaluate() callback in a helper (`__name`) that does not exist in the page.

/** Clicks the study's row and resolves with the ms until its first image's IMAGE_RENDERED. */
const FIRST_IMAGE_PROBE = `({ study, seriesUid }) => new Promise((resolve, reject) => {
  const row = document.querySelector('[data-testid="study-row"][data-study-uid="' + study + '"]');
  if (!row) return reject(new Error('no row for ' + study));
  const timer = setTimeout(() => reject(new Error('no IMAGE_RENDERED within 30 s')), 30000);
  // Cornerstone's events do not bubble; a capturing listener on the document hears them.
  const onRendered = (e) => {
    const viewport = e.target.closest('[data-testid="viewport"]');
    if (!viewport || viewport.getAttribute('data-series-uid') !== seriesUid) return;
    document.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
    clearTimeout(timer);
    resolve(performance.now() - started);
  };
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
  const started = performance.now();
  row.click();
})`;

/**
 * Scrolls the active viewport from its current image to `target` with arrow keys, each sent once
 * the previous image is rendered; resolves with images rendered per second. STACK_NEW_IMAGE says
 * which image is now in the viewport, IMAGE_RENDERED that it is drawn.
 */
const SCROLL_PROBE = `(target) => new Promise((resolve, reject) => {
  const viewport = document.querySelector('[data-testid="viewport"][data-active="true"]');
  if (!viewport) return reject(new Error('no active viewport'));
  const start = Number(viewport.getAttribute('data-image-index'));
  const key = target > start ? 'ArrowDown' : 'ArrowUp';
  const steps = Math.abs(target - start);
  if (steps === 0) return resolve(0);
  let rendered = 0;
  let shown = start;
  const timer = setTimeout(() => reject(new Error('stuck at image ' + shown + ' on the way to ' + target)), 120000);
  const started = performance.now();
  const onNewImage = (e) => {
    if (viewport.contains(e.target)) shown = e.detail.imageIdIndex;
  };
  const onRendered = (e) => {
    if (!viewport.contains(e.target) || shown !== start + Math.sign(target - start) * (rendered + 1)) return;
    rendered++;
    if (rendered < steps) {
      window.dispatchEvent(new KeyboardEvent('keydown', { key }));
      return;
    }
    document.removeEventListener('CORNERSTONE_STACK_NEW_IMAGE', onNewImage, true);
    document.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
    clearTimeout(timer);
    resolve(steps / ((performance.now() - started) / 1000));
  };
  document.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', onNewImage, true);
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered, true);
  window.dispatchEvent(new KeyboardEvent('keydown', { key }));
})`;

const probe = <T>(page: Page, source: string, arg: unknown): Promise<T> => page.evaluate<T>(`(${source})(${JSON.stringify(arg)})`);
/** Finds the study in the list (virtualised: searched for, so that its row is in the page), then times its opening. */
async function timeFirstImage(page: Page, series: BenchSeries): Promise<number> {
  await page.getByTestId('study-search').fill(series.patientId);
  await page.locator(`[data-testid="study-row"][data-study-uid="${series.studyInstanceUid}"]`).waitFor();
  await page.waitForTimeout(300);
  return probe<number>(page, FIRST_IMAGE_PROBE, { study: series.studyInstanceUid, seriesUid: series.seriesInstanceUid });
}
const scrollThrough = (page: Page, to: number) => probe<number>(page, SCROLL_PROBE, to);

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-bench-viewer-'));
  let server: ReturnType<typeof spawn> | undefined;
  const browser = await launchChromium();
  try {
    const source = path.join(work, 'source');
    const dataDir = path.join(work, 'store');
    let t = performance.now();
    // Studies opened once each for the first-image figure (small: the first image is what counts).
    const firsts = Array.from({ length: RUNS + 1 }, (_, i) => writeSeries(source, `FIRST${i}`, 20, 100 + i));
    const scrolled: { name: string; syntax: Syntax; series: BenchSeries }[] = [
      { name: 'explicit VR LE', syntax: 'explicit-le', series: writeSeries(source, 'RAW', SLICES, 1) },
      { name: 'JPEG-LS', syntax: 'jpeg-ls', series: writeSeries(source, 'JPEGLS', SLICES, 2) },
      { name: 'JPEG 2000', syntax: 'jpeg-2000', series: writeSeries(source, 'J2K', SLICES, 3) },
    ];
    for (const { syntax, series } of scrolled) {
      if (syntax !== 'explicit-le') for (const file of series.files) convertTransferSyntax(file, file, syntax);
    }
    console.log(`generated ${firsts.length} small studies and 3 × ${SLICES} slices in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const imported = spawnSync(process.execPath, [BIN, 'import', source, '--data-dir', dataDir, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
    console.log(`imported in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    addUser(dataDir, 'bench', { role: 'radiologist' });

    server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve) => createInterface({ input: server!.stdout! }).once('line', resolve));
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(url);
    await signIn(page, 'bench');
    await page.locator(`[data-testid="study-row"][data-study-uid="${firsts[0].studyInstanceUid}"]`).waitFor();

    const cold = await timeFirstImage(page, firsts[0]);
    const warm: number[] = [];
    for (const series of firsts.slice(1)) warm.push(await timeFirstImage(page, series));
    const firstMedian = median(warm);
    console.log(`first image: cold ${cold.toFixed(0)} ms; median of ${warm.length} ${firstMedian.toFixed(0)} ms (${warm.map((w) => w.toFixed(0)).join(', ')}) ${firstMedian <= TARGET_FIRST_MS ? 'PASS' : 'FAIL'}`);

    const rates: { name: string; load: number; median: number; runs: number[]; pass: boolean }[] = [];
    for (const { name, series } of scrolled) {
      await timeFirstImage(page, series);
      // The loading pass: every image once (prefetching runs alongside).
      const loadStarted = performance.now();
      await scrollThrough(page, SLICES - 1);
      await scrollThrough(page, 0);
      const load = (performance.now() - loadStarted) / 1000;
      // Let the last prefetches and the thumbnail finish: the figure is for a loaded series.
      await page.waitForTimeout(1000);
      const runs: number[] = [];
      for (let r = 0; r < RUNS; r++) runs.push(await scrollThrough(page, r % 2 === 0 ? SLICES - 1 : 0));
      const m = median(runs);
      rates.push({ name, load, median: m, runs, pass: m >= TARGET_RATE });
      console.log(`scrolling ${name.padEnd(15)} median ${m.toFixed(1)} images/s (${runs.map((r) => r.toFixed(1)).join(', ')}), loading pass ${load.toFixed(1)} s ${m >= TARGET_RATE ? 'PASS' : 'FAIL'}`);
    }
    const result = { slices: SLICES, runs: RUNS, firstImageMs: { cold, median: firstMedian, runs: warm }, scrolling: rates };
    if (values.json) fs.writeFileSync(values.json, JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    server?.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
