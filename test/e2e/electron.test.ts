// The desktop app itself, launched with Playwright's Electron driver on the built dist/: the
// window opens on the app, window.noctis is there and reaches the core, the page has no Node.
// Skipped (with the reason) where the Electron binary was never downloaded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { _electron, type ElectronApplication } from 'playwright-core';
import { REPO_ROOT, tempDir } from '../helpers';

const MAIN = path.join(REPO_ROOT, 'dist', 'electron', 'main.js');

/**
 * The Electron executable, or why there is none. The electron package's own entry
 * (`require('electron')`) returns this path, but where the binary is missing it tries to
 * download it first: so its lookup is done here without side effects (path.txt names the
 * executable inside dist/, ELECTRON_OVERRIDE_DIST_PATH replaces dist/).
 */
function findElectron(): { path: string } | { missing: string } {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!executable && !override) return { missing: `${path.relative(REPO_ROOT, pathFile)} does not exist` };
  const full = override ? path.join(override, executable ?? 'electron') : path.join(packageDir, 'dist', executable ?? '');
  if (!fs.existsSync(full)) return { missing: `${full} does not exist` };
  return { path: full };
}

function skipReason(): string | undefined {
  const electron = findElectron();
  if ('missing' in electron) return `no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD): ${electron.missing}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display to open a window on (run under xvfb-run)';
  }
  if (!fs.existsSync(MAIN)) return `${path.relative(REPO_ROOT, MAIN)} is not built (npm run build)`;
  return undefined;
}

const skip = skipReason();

test('the desktop app opens its window with window.noctis and no Node in the page', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const electron = findElectron();
  assert.ok('path' in electron);
  const dataDir = path.join(tempDir(), 'data');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  let app: ElectronApplication | undefined;
  try {
    app = await _electron.launch({
      executablePath: electron.path,
      args: [MAIN],
      cwd: REPO_ROOT,
      env: { ...env, NOCTIS_DATA_DIR: dataDir, NODE_ENV: 'test' },
      timeout: 30_000,
    });
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    assert.equal(await page.title(), 'Noctis');
    assert.match(page.url(), /^noctis:\/\/app\//);

    const shape = await page.evaluate(() => {
      const api = (window as unknown as { noctis?: { invoke?: unknown; on?: unknown } }).noctis;
      return {
        hasApi: typeof api === 'object' && api !== null,
        invoke: typeof api?.invoke,
        on: typeof api?.on,
        require: typeof (globalThis as { require?: unknown }).require,
      };
    });
    assert.deepEqual(shape, { hasApi: true, invoke: 'function', on: 'function', require: 'undefined' });

    // A new store: the window asks for the first admin, and the core refuses work before sign-in.
    const calls = await page.evaluate(async () => {
      const api = (window as unknown as { noctis: { invoke(channel: string, payload: unknown): Promise<unknown> } }).noctis;
      const status = await api.invoke('auth.status', {});
      const search = await api.invoke('studies.search', {}).catch((e: { code?: string }) => e.code);
      return { status, search };
    });
    assert.deepEqual(calls, { status: { setupRequired: true, session: null }, search: 'AUTH_REQUIRED' });
    assert.ok(fs.existsSync(path.join(dataDir, 'noctis.sqlite')), 'the store is in NOCTIS_DATA_DIR');
  } finally {
    await app?.close();
  }
});
