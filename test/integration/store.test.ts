import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../electron/core/store/db';
import { MIGRATIONS } from '../../electron/core/store/migrations';
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
