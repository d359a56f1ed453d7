import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../electron/core/store/db';
import { MIGRATIONS } from '../../electron/core/store/migrations';
import { createSettings } from '../../electron/core/store/settings';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { NoctisError } from '../../electron/core/errors';
import { tempCore, tempDir } from '../helpers';

test('a new store is a WAL database at the latest schema version, with private folders', () => {
  const core = tempCore();
  const db = new Database(core.paths.dbFile, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
  for (const dir of [core.paths.dataDir, core.paths.dicomDir, core.paths.tmpDir, core.paths.logsDir]) {
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700, dir);
  }
});

test('reopening applies no migration twice and keeps the data', () => {
  const file = path.join(tempDir(), 'noctis.sqlite');
  const first = openDb(file);
  first.prepare("INSERT INTO patients (patient_key, patient_id, issuer, name, birth_date, sex) VALUES ('k', 'P', '', 'N', '', '')").run();
  first.close();
  const again = openDb(file);
  assert.equal((again.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n, 1);
  again.close();
});

test('a database from a newer Noctis is refused, not damaged', () => {
  const file = path.join(tempDir(), 'noctis.sqlite');
  openDb(file).close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
  raw.close();
  assert.throws(() => openDb(file), (e: unknown) => e instanceof NoctisError && e.code === 'STORE_UNAVAILABLE');
});

test('settings are read once per change, and a change by another connection (the CLI) is seen at once', () => {
  const file = path.join(tempDir(), 'noctis.sqlite');
  const app = openDb(file);
  const cli = openDb(file);
  try {
    const appSettings = createSettings(app);
    const cliSettings = createSettings(cli);
    assert.equal(appSettings.get().minFreeDiskMB, DEFAULT_SETTINGS.minFreeDiskMB);
    cliSettings.set({ minFreeDiskMB: 5, scpAllow: ['MODALITY'] });
    assert.equal(appSettings.get().minFreeDiskMB, 5, 'the other connection’s commit');
    assert.deepEqual(appSettings.get().scpAllow, ['MODALITY']);
    appSettings.get().scpAllow.push('CHANGED BY A CALLER');
    assert.deepEqual(appSettings.get().scpAllow, ['MODALITY'], 'each caller gets its own copy');
    appSettings.set({ minFreeDiskMB: 7 });
    assert.equal(appSettings.get().minFreeDiskMB, 7, 'its own write');
    assert.equal(cliSettings.get().minFreeDiskMB, 7);
  } finally {
    app.close();
    cli.close();
  }
});
