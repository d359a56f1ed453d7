// System health against known states: a fresh store, known activity, a low floor, a damaged
// database copy, a process killed without closing the store.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import type { ErrorInfo } from '../../shared/errors';
import type { HealthReport } from '../../shared/health';
import Database from 'better-sqlite3';
import { writeStudy } from '../fixtures/generate';
import { api, readLog, REPO_ROOT, tempCore, tempDir } from '../helpers';

const CLI = path.join(REPO_ROOT, 'electron/cli/bin.cjs');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

test('a fresh store is healthy, with every figure at zero and this process listed', async () => {
  const core = tempCore();
  const health = await api(core, 'health.get', {});
  assert.equal(health.status, 'ok');
  assert.deepEqual(
    health.checks.map((c) => [c.name, c.status]),
    [['disk', 'ok'], ['errors', 'ok'], ['integrity', 'ok'], ['shutdowns', 'ok'], ['receiver', 'ok']],
  );
  assert.equal(health.checks.at(-1)?.detail, 'The DICOM receiver is off.');
  assert.equal(health.audit.available, true);
  assert.match(health.audit.detail, /^Not verified by this command/, 'a command does not walk the chain unless asked');
  for (const period of Object.values(health.periods)) {
    assert.deepEqual(period, { imports: 0, instancesImported: 0, instancesReceived: 0, instancesSent: 0, apiCalls: 0, apiErrors: 0, errorRate: null });
  }
  assert.deepEqual([health.store.studies, health.store.instances, health.store.storedBytes], [0, 0, 0]);
  const fsStat = fs.statfsSync(core.paths.dataDir);
  assert.equal(health.store.totalBytes, fsStat.blocks * fsStat.bsize);
  assert.ok(Math.abs(health.store.freeBytes - fsStat.bavail * fsStat.bsize) < 50e6, 'free space is the disk’s');
  assert.equal(health.store.minFreeBytes, 1024 * 1e6);
  // The call itself is counted after the report, so the WAL may have grown since.
  const dbBytes = fs.statSync(core.paths.dbFile).size;
  assert.ok(health.database.bytes > dbBytes && health.database.bytes <= dbBytes + fs.statSync(`${core.paths.dbFile}-wal`).size);
  assert.deepEqual(health.database.integrity, { result: null, checkedAt: null, durationMs: null });
  assert.deepEqual(health.processes.map((p) => [p.pid, p.kind]), [[process.pid, 'cli']]);
  assert.equal(health.receiver.listening, false);
});

test('imports, API calls and errors are counted per period and the store figures match its files', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'HEALTH^ONE', patientId: 'H1', slicesPerSeries: 4 });
  await core.importFiles([source]);
  await api(core, 'studies.search', {});
  await api(core, 'studies.get', { studyInstanceUid: study.studyInstanceUid });
  await assert.rejects(api(core, 'studies.get', { studyInstanceUid: '1.2.3' }));
  await assert.rejects(api(core, 'studies.search', { limit: -1 }));
  const health = await api(core, 'health.get', {});
  for (const period of Object.values(health.periods)) {
    assert.equal(period.imports, 1);
    assert.equal(period.instancesImported, study.instances.length);
    assert.equal(period.apiCalls, 4, 'the call being answered counts after it');
    assert.equal(period.apiErrors, 2);
    assert.equal(period.errorRate, 0.5);
  }
  assert.equal(health.checks.find((c) => c.name === 'errors')?.status, 'ok', 'too few calls to judge');
  assert.equal(health.store.studies, 1);
  assert.equal(health.store.instances, study.instances.length);
  const stored = filesUnder(core.paths.dicomDir).reduce((sum, f) => sum + fs.statSync(f).size, 0);
  assert.equal(health.store.storedBytes, stored);
  // The counters persist in the store: a second process sees them.
  core.close();
  const again = tempCore(core.paths.dataDir);
  assert.equal((await api(again, 'health.get', {})).periods.lastHour.apiCalls, 5);
});

test('an error rate over the threshold makes the status critical', async () => {
  const core = tempCore();
  for (let i = 0; i < 15; i++) await api(core, 'studies.search', {});
  for (let i = 0; i < 2; i++) await assert.rejects(api(core, 'studies.get', { studyInstanceUid: '1.2' }));
  let health = await api(core, 'health.get', {});
  assert.equal(health.checks.find((c) => c.name === 'errors')?.status, 'ok', '2 of 17: fewer than 20 calls');
  for (let i = 0; i < 8; i++) await assert.rejects(api(core, 'studies.get', { studyInstanceUid: '1.2' }));
  health = await api(core, 'health.get', {});
  const errors = health.checks.find((c) => c.name === 'errors');
  assert.equal(health.periods.lastHour.apiCalls, 26);
  assert.equal(errors?.status, 'critical', errors?.detail); // 10 of 26 = 38%
  assert.equal(health.status, 'critical');
});

test('the free-space floor: warning below twice it, critical below it, and imports refused', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'FLOOR^ONE', patientId: 'F1', slicesPerSeries: 2 });
  const free = fs.statfsSync(core.paths.dataDir).bavail * fs.statfsSync(core.paths.dataDir).bsize;

  await api(core, 'settings.set', { minFreeDiskMB: Math.floor((free * 0.7) / 1e6) });
  let health = await api(core, 'health.get', {});
  assert.equal(health.checks.find((c) => c.name === 'disk')?.status, 'warning');

  await api(core, 'settings.set', { minFreeDiskMB: Math.ceil((free * 2) / 1e6) });
  health = await api(core, 'health.get', {});
  assert.equal(health.checks.find((c) => c.name === 'disk')?.status, 'critical');
  assert.equal(health.status, 'critical');
  const refused = await api(core, 'import.start', { paths: [source] }).then(
    () => assert.fail('import started below the floor'),
    (err: ErrorInfo) => err,
  );
  assert.equal(refused.code, 'DISK_SPACE_LOW');
  assert.ok(refused.recovery.length > 0);
  assert.ok(readLog(core).some((l) => l.errorId === refused.errorId && l.code === 'DISK_SPACE_LOW'));
  assert.deepEqual(await api(core, 'import.list', {}), [], 'no job was started');
  assert.equal((await api(core, 'studies.search', {})).total, 0);
});

test('a damaged copy of the database is found by the integrity check and makes health critical', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'DAMAGE^ONE', patientId: 'D1', slicesPerSeries: 30 });
  await core.importFiles([source]);
  assert.equal((await api(core, 'health.check', {})).result, 'ok');
  assert.equal((await api(core, 'health.get', {})).status, 'ok');
  core.close();

  const copy = path.join(tempDir(), 'data');
  fs.cpSync(core.paths.dataDir, copy, { recursive: true });
  const dbFile = path.join(copy, path.basename(core.paths.dbFile));
  const probe = new Database(dbFile, { readonly: true });
  const { rootpage } = probe.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'instances_series'").get() as { rootpage: number };
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  probe.close();
  const fd = fs.openSync(dbFile, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize - 8, 0xa5), 0, pageSize - 8, (rootpage - 1) * pageSize + 8);
  fs.closeSync(fd);

  const damaged = tempCore(copy);
  const check = await api(damaged, 'health.check', {});
  assert.notEqual(check.result, 'ok');
  assert.ok(check.durationMs !== null && check.checkedAt !== null);
  const health = await api(damaged, 'health.get', {});
  assert.equal(health.database.integrity.result, check.result);
  assert.equal(health.checks.find((c) => c.name === 'integrity')?.status, 'critical');
  assert.equal(health.status, 'critical');

  // The CLI says so too, with the exit code of a critical state.
  damaged.close();
  const cli = spawnSync(process.execPath, [CLI, 'health', '--data-dir', copy, '--json'], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  const report = JSON.parse(cli.stdout) as HealthReport;
  assert.equal(report.status, 'critical');
  assert.equal(report.database.integrity.result, check.result);
});

test('running processes are listed with their uptime, and a killed one counts as an unclean stop', async () => {
  const dataDir = path.join(tempDir(), 'data');
  tempCore(dataDir).close();
  const serve = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [line] = (await once(serve.stdout, 'data')) as [Buffer];
  assert.match(line.toString(), /^http:\/\/127\.0\.0\.1:/);

  const core = tempCore(dataDir);
  let health = await api(core, 'health.get', {});
  assert.deepEqual(health.processes.map((p) => p.kind).sort(), ['cli', 'serve']);
  const served = health.processes.find((p) => p.kind === 'serve');
  assert.equal(served?.pid, serve.pid);
  assert.ok(served !== undefined && served.uptimeSeconds >= 0);
  assert.equal(health.uncleanStops, 0);
  core.close();

  serve.kill('SIGKILL');
  await once(serve, 'exit');
  const after = tempCore(dataDir);
  health = await api(after, 'health.get', {});
  assert.deepEqual(health.processes.map((p) => p.kind), ['cli']);
  assert.equal(health.uncleanStops, 1);
  assert.equal(health.checks.find((c) => c.name === 'shutdowns')?.status, 'warning');
});

test('the health command prints the same report as JSON, runs the check on --check, exits 0 when ok', () => {
  const dataDir = path.join(tempDir(), 'data');
  const cli = spawnSync(process.execPath, [CLI, 'health', '--data-dir', dataDir, '--json', '--check'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const report = JSON.parse(cli.stdout) as HealthReport;
  assert.equal(report.status, 'ok');
  assert.equal(report.database.integrity.result, 'ok');
  assert.equal(report.store.dataDir, dataDir);
  for (const key of ['uptimeSeconds', 'processes', 'periods', 'store', 'database', 'audit', 'receiver', 'checks']) assert.ok(key in report, key);
});

test('store totals count copied and linked files apart, kept right by the index itself', async () => {
  const core = tempCore();
  const copied = tempDir();
  const linked = tempDir();
  const a = writeStudy(copied, { patientName: 'TOTAL^COPY', patientId: 'T1', slicesPerSeries: 3 });
  const b = writeStudy(linked, { patientName: 'TOTAL^LINK', patientId: 'T2', slicesPerSeries: 2 });
  await core.importFiles([copied]);
  await core.importFiles([linked], { link: true });
  const { store } = await api(core, 'health.get', {});
  const size = (dir: string) => filesUnder(dir).reduce((sum, f) => sum + fs.statSync(f).size, 0);
  assert.equal(store.instances, a.instances.length + b.instances.length);
  assert.equal(store.storedBytes, size(core.paths.dicomDir));
  assert.equal(store.linkedBytes, size(linked));
});

test('a check verifies the audit chain too: ok when intact, critical naming the event when altered', async () => {
  const core = tempCore();
  for (let i = 0; i < 5; i++) core.audit.append({ code: '110112', action: 'E', outcome: 0, user: 'cli:test', description: `query ${i}` });
  await api(core, 'health.check', {});
  const intact = await api(core, 'health.get', {});
  assert.deepEqual(intact.checks.find((c) => c.name === 'audit')?.status, 'ok');
  assert.match(intact.audit.detail, /^5 events verified intact in \d+ ms\.$/);

  const raw = new Database(core.paths.dbFile);
  raw.prepare("UPDATE audit_events SET description = 'nothing to see' WHERE id = 3").run();
  raw.close();
  await api(core, 'health.check', {});
  const broken = await api(core, 'health.get', {});
  assert.equal(broken.status, 'critical');
  assert.equal(broken.checks.find((c) => c.name === 'audit')?.detail, 'The audit chain is broken at event 3 (edited).');
});

test('the app checks the chain at start and raises a security alert when it was altered', async () => {
  const first = tempCore();
  for (let i = 0; i < 3; i++) first.audit.append({ code: '110112', action: 'E', outcome: 0, user: 'cli:test', description: `query ${i}` });
  first.close();
  const raw = new Database(first.paths.dbFile);
  raw.prepare('DELETE FROM audit_events WHERE id = 2').run();
  raw.close();

  const app = tempCore(first.paths.dataDir, { kind: 'serve' });
  let health = await api(app, 'health.get', {});
  for (let i = 0; i < 100 && health.audit.detail.includes('being verified'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    health = await api(app, 'health.get', {});
  }
  assert.equal(health.checks.find((c) => c.name === 'audit')?.status, 'critical');
  const alert = app.audit.list({ code: '110113' }).events[0];
  assert.equal(alert.user, 'system');
  assert.equal(alert.outcome, 12);
  assert.match(alert.description, /^audit chain broken at event 2 \(deleted\)/);
});
