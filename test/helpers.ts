import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Channel, Payload, Result } from '../shared/api';
import { createCore, type Core, type CoreOptions } from '../electron/core';
import { call } from '../electron/core/api/dispatch';

// Each test file runs in its own process: clean up when it exits, whatever hook created what.
const cleanups: Array<() => void> = [];
process.on('exit', () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: a leftover temp folder must not fail the run
    }
  }
});

/** A fresh temporary folder, removed when the test file's process exits. */
export function tempDir(prefix = 'noctis-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A core on a fresh data directory (a real SQLite file), closed when the process exits. */
export function tempCore(dataDir = path.join(tempDir(), 'data'), options: Omit<CoreOptions, 'dataDir'> = {}): Core {
  const core = createCore({ dataDir, ...options });
  let open = true;
  const close = () => {
    if (open) core.close();
    open = false;
  };
  cleanups.push(close);
  return { ...core, close };
}

/** A typed call through the handler table as a window makes it; rejects with the ErrorInfo. */
export function api<C extends Channel>(core: Pick<Core, 'dispatch'>, channel: C, payload: Payload<C>): Promise<Result<C>> {
  return call(core.dispatch, channel, payload, { instanceUrl: (uid) => uid });
}

/** The log file's lines, parsed. */
export function readLog(core: Core): Array<Record<string, unknown>> {
  const text = fs.readFileSync(path.join(core.paths.logsDir, 'noctis.log'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const REPO_ROOT = path.resolve(__dirname, '..');
