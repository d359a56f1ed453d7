import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { writePart10, writeStudy, newUid } from '../fixtures/generate';
import { tempCore, tempDir } from '../helpers';

test('imports a folder: every file indexed once, hierarchy and counts exact, files copied', async () => {
  const core = tempCore();
  const source = tempDir();
  const a = writeStudy(source, { patientName: 'DOE^JANE', patientId: 'P001', seriesCount: 2, slicesPerSeries: 4 });
  const b = writeStudy(source, { patientName: 'ROE^RICHARD', patientId: 'P002', modality: 'MR', slicesPerSeries: 3 });

  const report = await core.importFiles([source]);
  assert.equal(report.totalFiles, 11);
  assert.equal(report.imported, 11);
  assert.equal(report.createdPatients, 2);
  assert.equal(report.createdStudies, 2);
  assert.equal(report.createdSeries, 3);
  assert.equal(report.createdInstances, 11);
  assert.equal(report.invalid, 0);
  assert.equal(report.bytes, [...a.instances, ...b.instances].reduce((n, i) => n + fs.statSync(i.path).size, 0));

  const search = await core.dispatch('studies.search', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(search.ok);
  const rows = (search.result as { studies: Array<Record<string, unknown>> }).studies;
  const jane = rows.find((r) => r.studyInstanceUid === a.studyInstanceUid);
  assert.deepEqual(
    { name: jane?.patientName, id: jane?.patientId, mods: jane?.modalities, series: jane?.seriesCount, images: jane?.instanceCount },
    { name: 'DOE^JANE', id: 'P001', mods: ['CT'], series: 2, images: 8 },
  );

  // The store holds byte-identical copies; the source can go away (the disc is ejected).
  for (const instance of a.instances) {
    const stored = core.instanceFile(instance.sopInstanceUid);
    assert.ok(stored && stored.path.startsWith(core.paths.dicomDir));
    assert.deepEqual(fs.readFileSync(stored.path), fs.readFileSync(instance.path));
  }
  fs.rmSync(source, { recursive: true });
  const detail = await core.dispatch('studies.get', { studyInstanceUid: b.studyInstanceUid }, { instanceUrl: (u) => `x:${u}`, local: { user: 'cli:test' } });
  assert.ok(detail.ok);
  const series = (detail.result as { series: Array<{ instances: Array<{ url: string; instanceNumber: number }> }> }).series;
  assert.deepEqual(series[0].instances.map((i) => i.instanceNumber), [1, 2, 3], 'ordered by InstanceNumber');
  assert.ok(fs.existsSync(core.instanceFile(b.instances[2].sopInstanceUid)!.path));
});

test('a re-import finds only duplicates and changes nothing', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'DUP^TEST', patientId: 'D001', slicesPerSeries: 5 });
  await core.importFiles([source]);
  const again = await core.importFiles([source, source]);
  assert.equal(again.totalFiles, 5, 'the same folder twice is walked once');
  assert.equal(again.duplicates, 5);
  assert.equal(again.imported, 0);
  assert.equal(again.createdInstances, 0);
  const files = fs.readdirSync(core.paths.dicomDir, { recursive: true }).filter((f) => String(f).endsWith('.dcm'));
  assert.equal(files.length, 5);
});

test('the same SOPInstanceUID with other bytes is kept and reported as a conflict', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'CONFLICT^TEST', patientId: 'C001', slicesPerSeries: 2 });
  await core.importFiles([source]);
  const original = study.instances[0];
  const changed = fs.readFileSync(original.path);
  changed[changed.length - 1] ^= 0xff; // one pixel differs
  const other = path.join(tempDir(), 'CONFLICT.dcm');
  fs.writeFileSync(other, changed);

  const report = await core.importFiles([other]);
  assert.equal(report.conflicts, 1);
  assert.equal(report.imported, 0);
  assert.deepEqual(report.errors.map((e) => [e.path, e.code]), [[other, 'conflict']]);
  const db = new Database(core.paths.dbFile, { readonly: true });
  const row = db.prepare('SELECT sop_uid, path, source_path FROM instance_conflicts').get() as Record<string, string>;
  db.close();
  assert.equal(row.sop_uid, original.sopInstanceUid);
  assert.equal(row.source_path, other);
  assert.deepEqual(fs.readFileSync(path.join(core.paths.dataDir, row.path)), changed, 'the conflicting file is kept');
  assert.deepEqual(fs.readFileSync(core.instanceFile(original.sopInstanceUid)!.path), fs.readFileSync(original.path));
  const listed = await core.dispatch('studies.search', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(listed.ok);
  assert.equal((listed.result as { studies: Array<{ conflictCount: number }> }).studies[0].conflictCount, 1, 'visible on the study');
});

test('bad input gets a code per file and the import goes on', async () => {
  const core = tempCore();
  const source = tempDir();
  const good = writeStudy(source, { patientName: 'GOOD^ONE', patientId: 'G001', slicesPerSeries: 1 });
  const junk = path.join(source, 'junk');
  fs.mkdirSync(junk);
  fs.writeFileSync(path.join(junk, 'empty.dcm'), '');
  fs.writeFileSync(path.join(junk, 'README.txt'), 'Insert the disc and run the viewer.\n');
  fs.writeFileSync(path.join(junk, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]));
  const whole = fs.readFileSync(good.instances[0].path);
  fs.writeFileSync(path.join(junk, 'TRUNCATED.dcm'), whole.subarray(0, 300)); // cut inside the header
  const noUid = path.join(junk, 'NOUID.dcm');
  writePart10(noUid, { SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', StudyInstanceUID: newUid(), SeriesInstanceUID: newUid(), Modality: 'OT', PatientID: 'X' });

  const report = await core.importFiles([source]);
  assert.equal(report.totalFiles, 6);
  assert.equal(report.imported, 1);
  assert.equal(report.invalid, 5);
  const byPath = Object.fromEntries(report.errors.map((e) => [path.basename(e.path), e.code]));
  assert.deepEqual(byPath, {
    'empty.dcm': 'not_dicom',
    'README.txt': 'not_dicom',
    'photo.jpg': 'not_dicom',
    'TRUNCATED.dcm': 'truncated',
    'NOUID.dcm': 'missing_uid',
  });
  assert.deepEqual(report.invalidByCode, { not_dicom: 3, truncated: 1, missing_uid: 1 });
});

test('an unreadable file is reported and the import goes on', { skip: process.getuid?.() === 0 ? 'root reads every file' : false }, async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'PERM^TEST', patientId: 'U001', slicesPerSeries: 2 });
  fs.chmodSync(study.instances[0].path, 0);
  const report = await core.importFiles([source]);
  assert.equal(report.imported, 1);
  assert.deepEqual(report.errors.map((e) => e.code), ['unreadable']);
});

test('a symlink loop is walked once', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'LOOP^TEST', patientId: 'L001', slicesPerSeries: 2 });
  fs.symlinkSync(source, path.join(source, 'L001', 'loop'));
  const report = await core.importFiles([source]);
  assert.equal(report.imported, 2);
  assert.equal(report.totalFiles, 2);
});

test('a path that does not exist is reported, not thrown', async () => {
  const core = tempCore();
  const report = await core.importFiles([path.join(tempDir(), 'no-such-disc')]);
  assert.equal(report.totalFiles, 1);
  assert.deepEqual(report.errors.map((e) => e.code), ['io_error']);
});

test('person names are decoded per SpecificCharacterSet and keep their three groups', async () => {
  const core = tempCore();
  const source = tempDir();
  const name = 'Yamada^Tarou=山田^太郎=やまだ^たろう';
  const study = writeStudy(source, { patientName: name, patientId: 'J001', charset: 'ISO_IR 192', slicesPerSeries: 1 });
  // Latin-1 (ISO_IR 100): write the bytes by hand, since the generator writes UTF-8.
  const latin = writeStudy(source, { patientName: 'MUSTERFRAU^BXRBEL', patientId: 'J002', charset: 'ISO_IR 100', slicesPerSeries: 1 });
  const file = latin.instances[0].path;
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf('BXRBEL');
  bytes[at + 1] = 0xc4; // Ä in ISO 8859-1
  fs.writeFileSync(file, bytes);

  // ISO 2022 with JIS X 0208 escapes, the example of PS3.5 H.3.1, written byte for byte.
  const esc = (s: string) => Buffer.from(s.replace(/ESC/g, '\x1b'), 'latin1');
  const jis = Buffer.concat([
    esc('Yamada^Tarou='),
    esc('ESC$B;3EDESC(B^ESC$BB@O:ESC(B='),
    esc('ESC$B$d$^$@ESC(B^ESC$B$?$m$&ESC(B'),
  ]);
  const placeholder = 'Q'.repeat(jis.length);
  const japanese = writeStudy(source, { patientName: placeholder, patientId: 'J003', charset: '\\ISO 2022 IR 87', slicesPerSeries: 1 });
  const jfile = japanese.instances[0].path;
  const jbytes = fs.readFileSync(jfile);
  jis.copy(jbytes, jbytes.indexOf(placeholder));
  fs.writeFileSync(jfile, jbytes);

  await core.importFiles([source]);
  const reply = await core.dispatch('studies.search', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
  assert.ok(reply.ok);
  const names = Object.fromEntries(
    (reply.result as { studies: Array<{ studyInstanceUid: string; patientName: string }> }).studies.map((s) => [s.studyInstanceUid, s.patientName]),
  );
  assert.equal(names[study.studyInstanceUid], name);
  assert.equal(names[latin.studyInstanceUid], 'MUSTERFRAU^BÄRBEL');
  assert.equal(names[japanese.studyInstanceUid], 'Yamada^Tarou=山田^太郎=やまだ^たろう', 'alphabetic, ideographic and phonetic groups');
});
