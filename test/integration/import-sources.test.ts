// Discs and transfer syntaxes made by real third-party tools (dcmtk): a DICOMDIR from dcmmkdir,
// and files converted with dcmconv, dcmcjpeg, dcmcjpls and dcmcrle.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeCdExport } from '../fixtures/cd';
import { convertTransferSyntax, TRANSFER_SYNTAX_UIDS, type Syntax } from '../fixtures/convert';
import { writeStudy } from '../fixtures/generate';
import { tempCore, tempDir } from '../helpers';

test('a disc is read through its DICOMDIR: its files only, junk beside it never opened', async () => {
  const core = tempCore();
  const disc = tempDir();
  const cd = writeCdExport(disc, [
    { patientName: 'DISC^ONE', patientId: 'CD1', seriesCount: 2, slicesPerSeries: 3 },
    { patientName: 'DISC^TWO', patientId: 'CD2', modality: 'MR', slicesPerSeries: 2 },
  ]);
  const report = await core.importFiles([disc]);
  assert.equal(report.source, 'dicomdir');
  assert.equal(report.totalFiles, 8);
  assert.equal(report.imported, 8);
  assert.equal(report.invalid, 0, 'AUTORUN.INF, README.TXT and the viewer are not inputs');
  assert.equal(report.createdStudies, 2);
  assert.deepEqual(report.modalities, ['CT', 'MR']);
  assert.ok(report.notes[0].includes('read the DICOMDIR (8 files)'));
  assert.equal(cd.instances.length, 8);

  const viaFile = await tempCore().importFiles([cd.dicomdirPath]);
  assert.equal(viaFile.source, 'dicomdir');
  assert.equal(viaFile.imported, 8);
});

test('DICOMDIR paths resolve whatever the case the disc was copied with', async () => {
  const disc = tempDir();
  writeCdExport(disc, [{ patientName: 'CASE^TEST', patientId: 'CS1', slicesPerSeries: 3 }]);
  // A copy that lower-cased every name (as some tools and file systems do).
  const lower = tempDir();
  const copy = (from: string, to: string) => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const target = path.join(to, entry.name.toLowerCase());
      if (entry.isDirectory()) {
        fs.mkdirSync(target);
        copy(path.join(from, entry.name), target);
      } else fs.copyFileSync(path.join(from, entry.name), target);
    }
  };
  copy(disc, lower);
  const report = await tempCore().importFiles([lower]);
  assert.equal(report.source, 'dicomdir');
  assert.equal(report.imported, 3);
});

test('a DICOMDIR listing missing files falls back to a full scan and says so', async () => {
  const disc = tempDir();
  const cd = writeCdExport(disc, [{ patientName: 'GONE^TEST', patientId: 'GN1', slicesPerSeries: 3 }]);
  fs.rmSync(cd.instances[1].path);
  const report = await tempCore().importFiles([disc]);
  assert.equal(report.source, 'scan');
  assert.match(report.notes.join(' '), /lists 1 file\(s\) that are not there/);
  assert.equal(report.imported, 2);
  assert.equal(report.skipped, 1, 'the DICOMDIR itself is not an instance');
  assert.ok(report.errors.every((e) => e.code === 'not_dicom'), JSON.stringify(report.errors));
});

test('an unreadable DICOMDIR falls back to a scan', async () => {
  const disc = tempDir();
  const cd = writeCdExport(disc, [{ patientName: 'BROKEN^DIR', patientId: 'BD1', slicesPerSeries: 2 }]);
  fs.writeFileSync(cd.dicomdirPath, 'garbage');
  const report = await tempCore().importFiles([disc]);
  assert.equal(report.source, 'scan');
  assert.match(report.notes.join(' '), /DICOMDIR cannot be read/);
  assert.equal(report.imported, 2);
});

test('every transfer syntax dcmtk writes is classified and indexed with its syntax', async () => {
  const core = tempCore();
  const source = tempDir();
  const syntaxes: Syntax[] = ['explicit-le', 'implicit-le', 'explicit-be', 'deflated', 'jpeg-lossless', 'jpeg-ls', 'rle'];
  const expected = new Map<string, string>();
  for (const syntax of syntaxes) {
    const study = writeStudy(path.join(source, syntax), { patientName: `TS^${syntax.toUpperCase()}`, patientId: `TS-${syntax}`, slicesPerSeries: 2, rows: 64, columns: 64 });
    for (const instance of study.instances) {
      convertTransferSyntax(instance.path, instance.path, syntax);
      expected.set(instance.sopInstanceUid, TRANSFER_SYNTAX_UIDS[syntax]);
    }
  }
  const us = writeStudy(path.join(source, 'us'), { patientName: 'TS^JPEG', patientId: 'TS-US', modality: 'US', frames: 6 });
  convertTransferSyntax(us.instances[0].path, us.instances[0].path, 'jpeg-baseline');
  expected.set(us.instances[0].sopInstanceUid, TRANSFER_SYNTAX_UIDS['jpeg-baseline']);

  const report = await core.importFiles([source]);
  assert.equal(report.invalid, 0, JSON.stringify(report.errors));
  assert.equal(report.imported, expected.size);
  const indexed = new Map([...core.instances()].map((i) => [i.sopInstanceUid, i]));
  for (const [sop, syntax] of expected) assert.equal(indexed.get(sop)?.transferSyntaxUid, syntax, sop);
  const cine = indexed.get(us.instances[0].sopInstanceUid)!;
  assert.deepEqual([cine.frames, cine.rows, cine.columns], [6, 240, 320]);
});

test('a compressed file cut before its end marker is truncated', async () => {
  const core = tempCore();
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'CUT^JLS', patientId: 'CJ1', slicesPerSeries: 1 });
  const file = study.instances[0].path;
  convertTransferSyntax(file, file, 'jpeg-ls');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, bytes.length - 100));
  const report = await core.importFiles([source]);
  assert.deepEqual(report.errors.map((e) => e.code), ['truncated']);
});
