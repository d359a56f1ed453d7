import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Channel, Payload, Result } from '../shared/api';
import { createCore, type Core, type CoreOptions } from '../electron/core';
import { call } from '../electron/core/api/dispatch';
import type { CallContext } from '../electron/core/api/handlers';
import type { Role } from '../shared/auth';

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

/** A typed call through the handler table as the command line makes it (a local admin); rejects with the ErrorInfo. */
export function api<C extends Channel>(core: Pick<Core, 'dispatch'>, channel: C, payload: Payload<C>): Promise<Result<C>> {
  return call(core.dispatch, channel, payload, { instanceUrl: (uid) => uid, local: { user: 'cli:test' } });
}

/** A window's connection: calls through it carry its session once it signed in. */
export interface TestWindow {
  ctx: CallContext;
  call<C extends Channel>(channel: C, payload: Payload<C>): Promise<Result<C>>;
}

export function testWindow(core: Pick<Core, 'dispatch'>, instanceUrl: (uid: string) => string = (uid) => `/instances/${uid}`): TestWindow {
  const ctx: CallContext = { instanceUrl, connection: {} };
  return { ctx, call: (channel, payload) => call(core.dispatch, channel, payload, ctx) };
}

export const TEST_PASSWORD = 'a long test passphrase';

/**
 * Creates an account (through the handler table, as the command line) and signs a new window in
 * with it. Radiologists, technologists and facility users get a facility and a license.
 */
export async function signedIn(core: Pick<Core, 'dispatch'>, role: Role, options: { username?: string; facility?: string } = {}): Promise<TestWindow> {
  const username = options.username ?? `${role}-${Math.random().toString(36).slice(2, 8)}`;
  let facilityId: number | undefined;
  if (role !== 'admin') {
    const name = options.facility ?? 'Test Facility';
    const existing = (await api(core, 'facilities.list', {})).find((f) => f.name === name);
    facilityId = existing?.facilityId ?? (await api(core, 'facilities.create', { name })).facilityId;
  }
  await api(core, 'users.create', {
    username,
    password: TEST_PASSWORD,
    role,
    facilityId,
    licenseNumber: role === 'radiologist' || role === 'technologist' ? 'LIC-1' : undefined,
    specialization: role === 'radiologist' ? 'Neuroradiology' : undefined,
    mustChangePassword: false,
  });
  const window = testWindow(core);
  await window.call('auth.login', { username, password: TEST_PASSWORD });
  return window;
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
