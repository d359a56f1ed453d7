// The Orthanc peer harness on real parts: dcmtk's storescu sends generated files to a real
// Orthanc, which must hand back the same datasets over its REST API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeStudy } from '../fixtures/generate';
import { datasetOffset } from '../../electron/core/dicom/part10';
import { datasetDigest, ORTHANC_DICOM_PORT, ORTHANC_REST, orthancAvailable, runWithOrthanc } from '../peers/orthanc';

const skip = orthancAvailable();

function scratch(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-orthanc-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('storescu to Orthanc: every instance arrives with its dataset byte for byte', { skip }, async (t) => {
  const dir = scratch(t);
  const source = path.join(dir, 'source');
  const ct = writeStudy(source, { patientName: 'PEER^CT', patientId: 'PEER1', slicesPerSeries: 2 });
  const us = writeStudy(source, { patientName: 'PEER^US', patientId: 'PEER2', modality: 'US', frames: 3 });
  const sent = [...ct.instances, ...us.instances];
  const received = path.join(dir, 'received');

  const run = await runWithOrthanc({
    command: ['storescu', '-aet', 'NOCTIS_TEST', '-aec', 'ORTHANC', '+sd', '+r', '127.0.0.1', String(ORTHANC_DICOM_PORT), source],
    dumpDir: received,
  });
  assert.equal(run.code, 0, run.stderr);

  assert.deepEqual(fs.readdirSync(received).sort(), sent.map((i) => `${i.sopInstanceUid}.dcm`).sort());
  for (const instance of sent) {
    const original = fs.readFileSync(instance.path);
    const stored = fs.readFileSync(path.join(received, `${instance.sopInstanceUid}.dcm`));
    assert.equal(datasetDigest(stored), datasetDigest(original), instance.path);
    // Orthanc writes its own meta header, so whole files differ: only the dataset is compared.
    assert.ok((datasetOffset(stored) ?? 0) > 132);
  }
});

test('Orthanc takes its AE title from the options, refuses another called AE title, and answers REST inside', { skip }, async (t) => {
  const dir = scratch(t);
  const study = writeStudy(dir, { patientName: 'PEER^AET', patientId: 'PEER3', slicesPerSeries: 1 });
  const file = study.instances[0].path;
  const script = [
    'storescu -aec WRONG 127.0.0.1 "$ORTHANC_DICOM_PORT" "$1" 2>/dev/null; echo "wrong=$?"',
    'storescu -aec "$ORTHANC_AET" 127.0.0.1 "$ORTHANC_DICOM_PORT" "$1"; echo "right=$?"',
    'node "$2" get /statistics',
  ].join('\n');

  const run = await runWithOrthanc({ command: ['bash', '-c', script, 'peer-test', file, ORTHANC_REST], aet: 'NOCTIS_PACS' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /wrong=[1-9]/);
  assert.match(run.stdout, /right=0/);
  const statistics = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { CountInstances: number };
  assert.equal(statistics.CountInstances, 1);
  assert.match(run.orthancLog, /AET NOCTIS_PACS/);
});

test('the command\'s exit status comes back; Orthanc\'s failure to start is an error with its log', { skip }, async () => {
  const failed = await runWithOrthanc({ command: ['bash', '-c', 'exit 7'] });
  assert.equal(failed.code, 7);
  await assert.rejects(runWithOrthanc({ command: ['true'], aet: 'AN_AE_TITLE_LONGER_THAN_16' }), /Orthanc log[^]*longer than 16 characters/);
});
