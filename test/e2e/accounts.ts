// Accounts for the end-to-end tests: created with the command line (as a scripted install does,
// password on stdin), then signed in through the window as a person does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Role } from '../../shared/auth';
import { REPO_ROOT } from '../helpers';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');

export const E2E_PASSWORD = 'e2e long passphrase 42';

export interface AccountOptions {
  role: Role;
  /** Radiologists, technologists and facility users get "E2E Facility" unless told otherwise. */
  facility?: string;
  license?: string;
  displayName?: string;
  password?: string;
  /** Default true: no forced change at the first sign-in. */
  keepPassword?: boolean;
}

/** `noctis users add …` with the password on stdin; returns the username. */
export function addUser(dataDir: string, username: string, options: AccountOptions): string {
  const { role, displayName, password = E2E_PASSWORD, keepPassword = true } = options;
  const facility = options.facility ?? (role === 'admin' ? undefined : 'E2E Facility');
  const license = options.license ?? (role === 'radiologist' || role === 'technologist' ? `LIC-${username}` : undefined);
  const args = ['users', 'add', '--data-dir', dataDir, '--username', username, '--role', role];
  if (facility) args.push('--facility', facility);
  if (license) args.push('--license', license);
  if (displayName) args.push('--display-name', displayName);
  if (role === 'radiologist') args.push('--specialization', 'General radiology');
  if (keepPassword) args.push('--keep-password');
  const result = spawnSync(process.execPath, [BIN, ...args], { input: `${password}\n`, encoding: 'utf8' });
  assert.equal(result.status, 0, `users add ${username}: ${result.stderr}`);
  return username;
}

/** Fills the login screen and waits until the header names the user. */
export async function signIn(page: Page, username: string, password = E2E_PASSWORD): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator(`[data-testid="session-user"][data-username="${username}"]`).waitFor();
}

/** Signs out from the header and waits for the login screen. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').waitFor();
}
