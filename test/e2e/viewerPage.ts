// Helpers for the viewer's end-to-end tests: a served store, reading the viewport's canvas, and
// waiting for the UI test contract's attributes.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers';

export const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');

export function importInto(dataDir: string, source: string): void {
  const imported = spawnSync(process.execPath, [BIN, 'import', source, '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
}

/** `noctis serve` on the store; resolves with the process and its one-time URL. */
export async function serve(dataDir: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  return { server, url };
}

export const viewportSelector = (slot = 0) => `[data-testid="viewport"][data-slot="${slot}"]`;

/**
 * Opens a study from the list (searching for `find` first: the list is virtualised, a row far
 * down is not in the page) and waits until its first series' image is on screen.
 */
export async function openStudy(page: Page, studyInstanceUid: string, seriesInstanceUid?: string, find?: string): Promise<void> {
  if (find !== undefined) await page.getByTestId('study-search').fill(find);
  await page.locator(`[data-testid="study-row"][data-study-uid="${studyInstanceUid}"]`).click();
  const series = seriesInstanceUid ? `[data-series-uid="${seriesInstanceUid}"]` : '';
  const rendered = page.locator(`${viewportSelector(0)}${series}[data-rendered="true"]`);
  await rendered.waitFor({ timeout: 30_000 });
  // The layout settles (a resize redraws the canvas): a few frames, then on screen again.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await rendered.waitFor({ timeout: 10_000 });
}

export async function waitForImage(page: Page, slot: number, index: number): Promise<void> {
  await page.locator(`${viewportSelector(slot)}[data-image-index="${index}"][data-rendered="true"]`).waitFor({ timeout: 15_000 });
}

export async function imageIndex(page: Page, slot = 0): Promise<number> {
  return Number(await page.locator(viewportSelector(slot)).getAttribute('data-image-index'));
}

export interface RegionMean {
  r: number;
  g: number;
  b: number;
}

/**
 * Mean colour of a rectangle of the image on screen, given in image-relative coordinates (0–1),
 * for an image shown centred at the magnification the overlay states (screen px per image px).
 */
export async function regionMean(page: Page, slot: number, image: { columns: number; rows: number }, region: { x0: number; x1: number; y0: number; y1: number }): Promise<RegionMean> {
  const zoomText = await page.locator(`${viewportSelector(slot)} [data-testid="overlay-zoom"]`).innerText();
  const zoom = Number(/([\d.]+)×/.exec(zoomText)?.[1]);
  assert.ok(zoom > 0, `the overlay states the zoom (${zoomText})`);
  return page.locator(`${viewportSelector(slot)} canvas`).first().evaluate(
    (canvas: HTMLCanvasElement, { zoom, image, region }) => {
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      const scale = canvas.width / canvas.clientWidth;
      const w = image.columns * zoom * scale;
      const h = image.rows * zoom * scale;
      const left = canvas.width / 2 - w / 2;
      const top = canvas.height / 2 - h / 2;
      const x0 = Math.round(left + region.x0 * w);
      const y0 = Math.round(top + region.y0 * h);
      const x1 = Math.round(left + region.x1 * w);
      const y1 = Math.round(top + region.y1 * h);
      const { data } = ctx.getImageData(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
      let r = 0;
      let g = 0;
      let b = 0;
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        r += data[i];
        g += data[i + 1];
        b += data[i + 2];
      }
      return { r: r / n, g: g / n, b: b / n };
    },
    { zoom, image, region },
  );
}

/** Mean and variance of the whole canvas's luminance. */
export async function canvasStats(page: Page, slot = 0): Promise<{ mean: number; variance: number }> {
  return page.locator(`${viewportSelector(slot)} canvas`).first().evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sumSq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += y;
      sumSq += y * y;
    }
    const mean = sum / n;
    return { mean, variance: sumSq / n - mean * mean };
  });
}
