import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../electron/core/store/db';
import { MIGRATIONS } from '../../electron/core/store/migrations';
import { createSettings } from '../../electron/core/store/settings';
import { createCatalog } from '../../electron/core/store/catalog';
import { createLogSync } from '../../electron/core/store/logSync';
import { IndexWriter } from '../../electron/core/import/indexWriter';
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

/** This process's descriptors open on `file` (Linux: /proc/self/fd), "(deleted)" if it was unlinked. */
function descriptorsOn(file: string): string[] {
  return fs
    .readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // the descriptor readdir itself used, closed by now
      }
    })
    .filter((target) => target === file || target === `${file} (deleted)`);
}

test('the receiver syncs SQLite’s log off the event loop: the -wal file, a new one once SQLite makes it, the database file without WAL', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, async () => {
  const file = path.join(tempDir(), 'noctis.sqlite');
  const db = openDb(file);
  const log = createLogSync(db);
  const wal = `${file}-wal`;
  try {
    db.prepare("INSERT INTO patients (patient_key, patient_id, issuer, name, birth_date, sex) VALUES ('a', 'P', '', 'N', '', '')").run();
    assert.deepEqual(descriptorsOn(wal), [wal], 'SQLite’s own');
    await log.sync();
    assert.deepEqual(descriptorsOn(wal), [wal, wal], 'and ours, on the log');
    await log.sync();
    assert.equal(descriptorsOn(wal).length, 2, 'kept open, not opened again');

    // Leaving WAL mode deletes the log; coming back makes a new file under the same name.
    db.pragma('journal_mode = DELETE');
    db.pragma('journal_mode = WAL');
    db.prepare("INSERT INTO patients (patient_key, patient_id, issuer, name, birth_date, sex) VALUES ('b', 'P', '', 'N', '', '')").run();
    assert.deepEqual(descriptorsOn(wal).sort(), [wal, `${wal} (deleted)`], 'ours still on the old log');
    await log.sync();
    assert.deepEqual(descriptorsOn(wal), [wal, wal], 'ours on the new log, the deleted one let go');
  } finally {
    log.close();
  }
  assert.deepEqual(descriptorsOn(wal), [wal], 'ours closed');

  db.pragma('journal_mode = DELETE');
  const rollback = createLogSync(db);
  try {
    db.prepare("INSERT INTO patients (patient_key, patient_id, issuer, name, birth_date, sex) VALUES ('c', 'P', '', 'N', '', '')").run();
    await rollback.sync(); // no -wal file exists: it syncs the database file itself
    assert.equal(fs.existsSync(wal), false);
    assert.equal(descriptorsOn(file).length, 2, 'SQLite’s descriptor and ours');
  } finally {
    rollback.close();
    db.close();
  }
});

test('an index commit counts as written only once its afterWrite (the log sync) is done', async () => {
  const db = openDb(path.join(tempDir(), 'noctis.sqlite'));
  let release = () => {};
  const synced = new Promise<void>((resolve) => (release = resolve));
  const committed: string[][] = [];
  const catalog = createCatalog(db);
  const writer = new IndexWriter({
    db,
    catalog,
    created: { patients: 0, studies: 0, series: 0, instances: 0 },
    beforeCommit: () => Promise.resolve(),
    afterWrite: () => synced,
    afterCommit: (studies) => committed.push(studies),
    batchSize: 100,
    batchMs: 0,
    facilityId: null,
  });
  try {
    writer.add({ kind: 'conflict', sopInstanceUid: '1.2.3', file: { path: 'dicom/ab/x.dcm', size: 1, sha256: 'ab', linked: false }, shownPath: 'MODALITY@127.0.0.1' });
    let done = false;
    const commit = writer.commit().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((db.prepare('SELECT count(*) AS n FROM instance_conflicts').get() as { n: number }).n, 1, 'the row is written…');
    assert.equal(done, false, '…but the commit is not done before the sync');
    assert.deepEqual(committed, []);
    release();
    await commit;
    assert.equal(done, true);
    assert.equal(committed.length, 1);
    assert.deepEqual(catalog.unreferenced(['dicom/ab/x.dcm', 'dicom/cd/y.dcm']), ['dicom/cd/y.dcm'], 'a conflict’s file is in use');
  } finally {
    db.close();
  }
});
