// The import engine on real generated files and a real store: sources, outcomes, index
// fields, link mode, re-imports, cancel, progress and history.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import yazl from 'yazl';
import type { ImportProgress } from '../../shared/import';
import { parseHeader } from '../../electron/core/dicom/header';
import { appResponse } from '../../electron/core/serve/responses';
import { storedRelPath } from '../../electron/core/store/files';
import { writeStudy } from '../fixtures/generate';
import { tempCore, tempDir } from '../helpers';

function db(core: { paths: { dbFile: string } }) {
  return new Database(core.paths.dbFile, { readonly: true });
}

test('indexes the full set of study, series and instance attributes', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'INDEX^TEST', patientId: 'IX01', accessionNumber: 'ACC1', slicesPerSeries: 2, rows: 32, columns: 48 });
  await core.importFiles([source]);
  const d = db(core);
  const row = d
    .prepare(
      `SELECT i.*, se.modality, se.frame_of_reference_uid, se.series_number, st.accession, st.local_reference
       FROM instances i JOIN series se ON se.id = i.series_pk JOIN studies st ON st.id = se.study_pk WHERE i.sop_uid = ?`,
    )
    .get(study.instances[1].sopInstanceUid) as Record<string, unknown>;
  d.close();
  assert.equal(row.rows, 32);
  assert.equal(row.columns, 48);
  assert.equal(row.frames, 1);
  assert.equal(row.bits_allocated, 16);
  assert.equal(row.photometric, 'MONOCHROME2');
  assert.equal(row.transfer_syntax_uid, '1.2.840.10008.1.2.1');
  assert.deepEqual(JSON.parse(String(row.image_position)), [0, 0, 2.5]);
  assert.deepEqual(JSON.parse(String(row.image_orientation)), [1, 0, 0, 0, 1, 0]);
  assert.deepEqual(JSON.parse(String(row.pixel_spacing)), [0.7, 0.7]);
  assert.deepEqual(JSON.parse(String(row.window_center)), [40]);
  assert.deepEqual(JSON.parse(String(row.window_width)), [400]);
  assert.equal(row.instance_number, 2);
  assert.match(String(row.frame_of_reference_uid), /^2\.25\./);
  assert.equal(row.accession, 'ACC1');
  assert.equal(row.local_reference, '', 'an accession number needs no local reference');
  assert.match(String(row.sha256), /^[0-9a-f]{64}$/);
  assert.equal(row.size, fs.statSync(study.instances[1].path).size);
});

test('studies without an AccessionNumber get a local reference that is shown and searchable', async () => {
  const core = tempCore();
  const source = tempDir();
  const a = writeStudy(source, { patientName: 'REF^ONE', patientId: 'LR1', slicesPerSeries: 1 });
  const b = writeStudy(source, { patientName: 'REF^TWO', patientId: 'LR2', slicesPerSeries: 1 });
  await core.importFiles([source]);
  const reply = await core.dispatch('studies.search', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(reply.ok);
  const rows = (reply.result as { studies: Array<{ studyInstanceUid: string; localReference: string }> }).studies;
  const refs = rows.map((r) => r.localReference).sort();
  const now = new Date();
  const day = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
  assert.deepEqual(refs, [`L-${day}-0001`, `L-${day}-0002`]);
  const refOfB = rows.find((r) => r.studyInstanceUid === b.studyInstanceUid)!.localReference;
  const found = await core.dispatch('studies.search', { query: refOfB }, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(found.ok);
  assert.deepEqual((found.result as { studies: Array<{ studyInstanceUid: string }> }).studies.map((s) => s.studyInstanceUid), [b.studyInstanceUid]);
  assert.notEqual(a.studyInstanceUid, b.studyInstanceUid);
});

test('a bare dataset (no preamble, no meta header) is detected and indexed, implicit or explicit', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'RAW^DATASET', patientId: 'RAW1', slicesPerSeries: 1 });
  const part10 = fs.readFileSync(study.instances[0].path);
  // Drop the 128-byte preamble, "DICM" and group 0002: what is left is explicit VR LE.
  const groupLength = part10.readUInt32LE(132 + 8);
  const dataset = part10.subarray(132 + 12 + groupLength);
  const raw = path.join(tempDir(), 'RAWDS001');
  fs.writeFileSync(raw, dataset);
  const report = await core.importFiles([raw]);
  assert.equal(report.imported, 1, JSON.stringify(report.errors));
  const d = db(core);
  const row = d.prepare('SELECT raw_dataset, transfer_syntax_uid FROM instances').get() as { raw_dataset: number; transfer_syntax_uid: string };
  d.close();
  assert.deepEqual(row, { raw_dataset: 1, transfer_syntax_uid: '1.2.840.10008.1.2.1' });

  // Viewers need Part 10: it is served with a generated header in front; the stored file is untouched.
  const sop = study.instances[0].sopInstanceUid;
  // Served as to a session allowed to see it (keys are tested with accounts).
  const trusted = { instanceFileForKey: (uid: string) => core.instanceFile(uid) };
  const response = await appResponse(trusted, tempDir(), new Request(`http://127.0.0.1/instances/${sop}`));
  const served = Buffer.from(await response.arrayBuffer());
  assert.equal(Number(response.headers.get('content-length')), served.length);
  const reparsed = parseHeader(served, true);
  assert.ok(reparsed.ok && !reparsed.header.rawDataset);
  assert.equal(reparsed.header.sopInstanceUid, sop);
  assert.deepEqual(served.subarray(served.length - dataset.length), dataset);
  assert.deepEqual(fs.readFileSync(core.instanceFile(sop)!.path), dataset);
});

test('a file cut inside its pixel data is truncated, not imported', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'CUT^TEST', patientId: 'CUT1', slicesPerSeries: 2 });
  const whole = fs.readFileSync(study.instances[0].path);
  fs.writeFileSync(study.instances[0].path, whole.subarray(0, whole.length - 1000));
  const report = await core.importFiles([source]);
  assert.equal(report.imported, 1);
  assert.deepEqual(report.errors.map((e) => [path.basename(e.path), e.code]), [['IMG00001.dcm', 'truncated']]);
  assert.match(report.errors[0].message, /1000 of \d+ bytes missing/);
});

test('--link indexes files where they are and copies nothing', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'LINK^TEST', patientId: 'LNK1', slicesPerSeries: 3 });
  const report = await core.importFiles([source], { link: true });
  assert.equal(report.mode, 'link');
  assert.equal(report.imported, 3);
  assert.equal(fs.readdirSync(core.paths.dicomDir).length, 0, 'nothing copied');
  assert.equal(core.instanceFile(study.instances[0].sopInstanceUid)?.path, study.instances[0].path);
});

test('a re-import reads no unchanged file again, and re-reads a touched one', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'AGAIN^TEST', patientId: 'RE1', slicesPerSeries: 4 });
  const trap = study.instances[0].path;
  const wholeSeconds = 1_700_000_000; // a time utimes sets exactly
  fs.utimesSync(trap, wholeSeconds, wholeSeconds);
  await core.importFiles([source]);
  // Broken now, with the same size and mtime: a re-import that read it would say so; one that
  // trusts what it read before does not.
  fs.writeFileSync(trap, Buffer.concat([fs.readFileSync(trap).subarray(0, 200), Buffer.alloc(fs.statSync(trap).size - 200)]));
  fs.utimesSync(trap, wholeSeconds, wholeSeconds);
  const again = await core.importFiles([source]);
  assert.deepEqual({ duplicates: again.duplicates, imported: again.imported, invalid: again.invalid }, { duplicates: 4, imported: 0, invalid: 0 });

  fs.utimesSync(trap, new Date(), new Date()); // changed: read it again
  const third = await core.importFiles([source]);
  assert.equal(third.duplicates, 3);
  assert.equal(third.conflicts, 0);
  assert.equal(third.invalid, 1, 'the zeroed copy is read again and found broken');
});

test('imports a .zip archive and names files inside it', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'ZIP^TEST', patientId: 'ZIP1', slicesPerSeries: 3 });
  const archive = path.join(tempDir(), 'export.zip');
  const zip = new yazl.ZipFile();
  for (const instance of study.instances) zip.addFile(instance.path, path.relative(source, instance.path));
  zip.addBuffer(Buffer.from('not dicom'), 'README.TXT');
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(archive)).on('close', resolve).on('error', reject));
  const report = await core.importFiles([archive]);
  assert.equal(report.imported, 3);
  assert.deepEqual(report.errors.map((e) => [e.path, e.code]), [[path.join(archive, 'README.TXT'), 'not_dicom']]);
  assert.ok(report.notes.some((n) => n.includes('extracted 4 files')));
  assert.deepEqual(fs.readdirSync(core.paths.tmpDir), [], 'extracted files are cleaned up');
});

test('progress events count up to the total; history keeps every report', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'PROGRESS^TEST', patientId: 'PG1', seriesCount: 3, slicesPerSeries: 20 });
  const seen: ImportProgress[] = [];
  const off = core.on('import.progress', (p) => seen.push(p));
  const report = await core.importFiles([source]);
  off();
  const last = seen.at(-1)!;
  assert.equal(last.filesDone, 60);
  assert.equal(last.filesTotal, 60);
  assert.equal(last.totalKnown, true);
  assert.equal(last.imported, 60);
  assert.ok(last.bytesDone > 0);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].filesDone >= seen[i - 1].filesDone);

  const list = await core.dispatch('import.list', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(list.ok);
  const jobs = list.result as Array<{ jobId: string; status: string; report: { imported: number } }>;
  assert.deepEqual(jobs.map((j) => [j.jobId, j.status, j.report.imported]), [[report.jobId, 'completed', 60]]);
});

test('a cancelled import keeps what it committed, consistent; a re-run completes it', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'CANCEL^TEST', patientId: 'CX1', seriesCount: 4, slicesPerSeries: 50, rows: 128, columns: 128 });
  const controller = new AbortController();
  // Progress is reported for the first file, then every 200 ms: cancel at the first report, so
  // that a fast machine cannot finish the 200 files before the next one.
  const off = core.on('import.progress', (p) => {
    if (p.filesDone >= 1) controller.abort();
  });
  const first = await core.importFiles([source], { signal: controller.signal });
  off();
  assert.equal(first.status, 'cancelled');
  assert.ok(first.imported >= 1 && first.imported < 200, `stopped early (${first.imported})`);
  const d = db(core);
  const count = () => (d.prepare('SELECT count(*) AS n FROM instances').get() as { n: number }).n;
  assert.equal(count(), first.imported, 'everything reported imported is indexed');
  const second = await core.importFiles([source]);
  assert.equal(second.status, 'completed');
  assert.equal(second.imported + second.duplicates, 200);
  assert.equal(count(), 200);
  const sums = d.prepare('SELECT sum(instance_count) AS n FROM series').get() as { n: number };
  assert.equal(sums.n, 200, 'counts per series stay right');
  d.close();
});

test('unicode and very long paths import like any other', async () => {
  const core = tempCore();
  const root = tempDir();
  const deep = path.join(root, 'Ünïcödé fïlé 名前 Ελληνικά', ...Array.from({ length: 18 }, (_, i) => `folder-with-a-long-name-${i}`));
  const study = writeStudy(deep, { patientName: 'PATH^TEST', patientId: 'P名前', slicesPerSeries: 1 });
  assert.ok(study.instances[0].path.length > 400);
  const report = await core.importFiles([root]);
  assert.equal(report.imported, 1, JSON.stringify(report.errors));
});

test('the import API starts a job, reports its end as an event, and keeps it in history', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'API^IMPORT', patientId: 'AP1', slicesPerSeries: 5 });
  const finished = new Promise<{ jobId: string; imported: number }>((resolve) => core.on('import.finished', resolve));
  const started = await core.dispatch('import.start', { paths: [source] }, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(started.ok);
  const { jobId } = started.result as { jobId: string };
  const report = await finished;
  assert.equal(report.jobId, jobId);
  assert.equal(report.imported, 5);
  const job = await core.dispatch('import.get', { jobId }, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(job.ok);
  assert.equal((job.result as { status: string }).status, 'completed');
  const bad = await core.dispatch('import.start', { paths: [] }, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.equal(bad.ok ? '' : bad.error.code, 'VALIDATION_FAILED');
  const noDialog = await core.dispatch('import.pickPaths', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.equal(noDialog.ok ? '' : noDialog.error.code, 'NOT_SUPPORTED');
});

test('a cut copy already at a file’s content address (a power cut before its row) is replaced, not trusted for its name', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'CUT^COPY', patientId: 'CC1', slicesPerSeries: 2 });
  const [cut, whole] = study.instances.map((i) => fs.readFileSync(i.path));
  const target = (bytes: Buffer) => path.join(core.paths.dataDir, storedRelPath(createHash('sha256').update(bytes).digest('hex')));
  fs.mkdirSync(path.dirname(target(cut)), { recursive: true });
  fs.writeFileSync(target(cut), cut.subarray(0, cut.length >> 1)); // renamed in, its data never written
  fs.mkdirSync(path.dirname(target(whole)), { recursive: true });
  fs.writeFileSync(target(whole), whole); // renamed in and written, its row never committed
  const before = fs.statSync(target(whole)).ino;
  await core.importFiles([source]);
  assert.deepEqual(fs.readFileSync(target(cut)), cut, 'the cut copy was replaced');
  assert.equal(fs.statSync(target(whole)).ino, before, 'a whole one is kept');
  assert.equal([...core.instances()].length, 2);
});

test('when the batch’s sync fails, its copies are not indexed and are removed, so that no later import trusts them', { skip: process.platform !== 'linux' && 'batch durability (sync -f) is Linux’s' }, async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'SYNC^FAILS', patientId: 'SF2', slicesPerSeries: 3 });
  const stored = () => fs.readdirSync(core.paths.dicomDir, { recursive: true }).filter((f) => String(f).endsWith('.dcm'));
  // A `sync` that fails as syncfs(2) does on a disk that could not take the write-back.
  const bin = tempDir();
  fs.writeFileSync(path.join(bin, 'sync'), '#!/bin/sh\necho "sync: error syncing: Input/output error" >&2\nexit 1\n', { mode: 0o755 });
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
  try {
    await assert.rejects(core.importFiles([source]), /sync -f failed/);
  } finally {
    process.env.PATH = saved;
  }
  assert.equal([...core.instances()].length, 0);
  assert.deepEqual(stored(), [], 'the copies whose sync failed are gone');
  const report = await core.importFiles([source]);
  assert.equal(report.imported, 3);
  assert.equal(stored().length, 3);
});
