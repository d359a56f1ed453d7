// The CLI as users and scripts run it: the built `noctis` bin, real files, a real store.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { writeStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');

function noctis(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('import --json prints one report; studies --json lists what was imported', () => {
  const source = tempDir();
  const dataDir = path.join(tempDir(), 'store');
  const study = writeStudy(source, { patientName: 'CLI^TEST', patientId: 'CLI01', seriesCount: 2, slicesPerSeries: 2 });
  fs.writeFileSync(path.join(source, 'notes.txt'), 'not an image');

  const imported = noctis(['import', source, '--data-dir', dataDir, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const report = JSON.parse(imported.stdout) as Record<string, unknown>;
  for (const key of ['totalFiles', 'imported', 'duplicates', 'invalid', 'createdStudies', 'createdSeries', 'createdInstances', 'bytes', 'durationMs', 'errors']) {
    assert.ok(key in report, key);
  }
  assert.equal(report.totalFiles, 5);
  assert.equal(report.imported, 4);
  assert.equal(report.invalid, 1);
  assert.equal(report.createdSeries, 2);
  assert.deepEqual(report.errors, [{ path: path.join(source, 'notes.txt'), code: 'not_dicom', message: 'Not a DICOM file (no "DICM" prefix, not a bare dataset).' }]);

  const listed = noctis(['studies', '--json'], { NOCTIS_DATA_DIR: dataDir });
  assert.equal(listed.code, 0, listed.stderr);
  const studies = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
  assert.match(String(studies[0].localReference), /^L-\d{8}-0001$/, 'no accession: a local reference');
  assert.deepEqual(studies, [
    {
      localReference: studies[0].localReference,
      institutionName: '',
      referringPhysicianName: '',
      studyInstanceUid: study.studyInstanceUid,
      patientName: 'CLI^TEST',
      patientId: 'CLI01',
      patientBirthDate: '19700101',
      patientSex: 'O',
      studyDate: '20261203',
      studyTime: '101500',
      studyDescription: 'CT TEST',
      accessionNumber: '',
      modalities: ['CT'],
      seriesCount: 2,
      instanceCount: 4,
      conflictCount: 0,
    },
  ]);
});

test('instances --json lists every instance with its decoded patient name and stored path', () => {
  const source = tempDir();
  const dataDir = path.join(tempDir(), 'store');
  const study = writeStudy(source, { patientName: 'Ωμέγα^Άλφα', patientId: 'CLI02', charset: 'ISO_IR 192', modality: 'MR', slicesPerSeries: 2 });
  assert.equal(noctis(['import', source, '--data-dir', dataDir, '--link', '--json']).code, 0);
  const listed = noctis(['instances', '--data-dir', dataDir, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const instances = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(
    instances.map((i) => [i.sopInstanceUid, i.seriesInstanceUid, i.studyInstanceUid, i.patientId, i.patientName, i.modality, i.transferSyntaxUid, i.rows, i.columns, i.frames, i.path]),
    study.instances.map((i) => [i.sopInstanceUid, i.seriesInstanceUid, i.studyInstanceUid, 'CLI02', 'Ωμέγα^Άλφα', 'MR', '1.2.840.10008.1.2.1', 64, 64, 1, i.path]),
  );
  assert.deepEqual(JSON.parse(noctis(['instances', '--data-dir', tempDir(), '--json']).stdout), [], 'an empty store lists []');
});

test('usage errors exit 2; a bad store exits 1 with a JSON error carrying its errorId', () => {
  assert.equal(noctis(['frobnicate', '--data-dir', tempDir()]).code, 2);
  assert.equal(noctis(['import', '--data-dir', tempDir()]).code, 2);
  const notADir = path.join(tempDir(), 'file');
  fs.writeFileSync(notADir, 'x');
  const failed = noctis(['studies', '--data-dir', notADir, '--json']);
  assert.equal(failed.code, 1);
  const { error } = JSON.parse(failed.stdout) as { error: { code: string; errorId: string; recovery: string } };
  assert.ok(error.code && error.errorId && error.recovery);
});

test('serve prints its URL first and stops cleanly on SIGTERM', async () => {
  const dataDir = tempDir();
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  assert.match(firstLine, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/);
  const page = await fetch(firstLine);
  assert.equal(page.status, 200);
  assert.equal((await fetch(new URL('/', firstLine))).status, 401);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
