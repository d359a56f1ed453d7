// Sending studies: to another Noctis receiver (every syntax, as stored, byte for byte), to
// dcmtk's storescp accepting only uncompressed syntaxes (converted, pixels intact), to Orthanc
// (checked through its REST API); C-ECHO; refused associations, retry of failures, cancel; and
// the API path a technologist's window takes, with its events and audit trail.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import dicomParser from 'dicom-parser';
import type { Core } from '../../electron/core';
import type { SendReport } from '../../shared/network';
import { convertTransferSyntax } from '../fixtures/convert';
import { writeStudy } from '../fixtures/generate';
import { api, REPO_ROOT, signedIn, tempCore, tempDir } from '../helpers';
import { datasetBytes, startReceiver, syntaxCorpus } from '../network';
import { datasetDigest, orthancAvailable, runWithOrthanc } from '../peers/orthanc';
import { inPrivateNetwork, netnsUnavailable } from '../peers/netns';

const NOCTIS_BIN = path.join(REPO_ROOT, 'electron/cli/bin.cjs');
const sopMap = (core: Core) => new Map([...core.instances()].map((i) => [i.sopInstanceUid, i]));

async function sourceWith(dirs: string[]): Promise<Core> {
  const core = tempCore();
  const report = await core.importFiles(dirs);
  assert.equal(report.invalid, 0);
  return core;
}

test('to another Noctis: every syntax goes as stored, byte for byte, audited and counted', async () => {
  const corpus = syntaxCorpus(tempDir());
  const source = await sourceWith([corpus.dir]);
  const target = tempCore();
  const port = await startReceiver(target, { scpAeTitle: 'ARCHIVE' });
  await api(source, 'settings.set', { scpAeTitle: 'READING_1' });

  for (const studyInstanceUid of corpus.studyInstanceUids) {
    const report = await source.sendStudy(studyInstanceUid, null, { aeTitle: 'ARCHIVE', host: '127.0.0.1', port });
    assert.equal(report.status, 'completed', report.error ?? JSON.stringify(report.failures));
    assert.equal(report.sent, report.total);
    assert.equal(report.asStored, report.total, 'nothing converted: the receiver takes every syntax');
    assert.equal(report.converted, 0);
  }
  const sent = sopMap(source);
  const received = sopMap(target);
  assert.equal(received.size, corpus.syntaxOf.size);
  for (const [sop, syntax] of corpus.syntaxOf) {
    const got = received.get(sop);
    assert.equal(got?.transferSyntaxUid, syntax);
    assert.deepEqual(datasetBytes(got.path), datasetBytes(sent.get(sop)?.path ?? ''), `${syntax}: the stored bytes`);
  }

  const begins = (await api(source, 'audit.list', { code: '110102' })).events;
  const transfers = (await api(source, 'audit.list', { code: '110104' })).events;
  assert.equal(begins.length, corpus.studyInstanceUids.length);
  assert.equal(transfers.length, corpus.studyInstanceUids.length);
  assert.ok(transfers.every((e) => e.aeTitle === 'ARCHIVE' && e.outcome === 0 && /sent \d+ of \d+ instances to ARCHIVE@127\.0\.0\.1/.test(e.description)));
  assert.equal((await api(source, 'health.get', {})).periods.lastHour.instancesSent, corpus.syntaxOf.size);
  const callers = (await api(target, 'audit.list', { code: '110104' })).events.map((e) => e.aeTitle);
  assert.ok(callers.every((aet) => aet === 'READING_1'), 'the destination sees our AE title');
  await target.receiver.stop();
});

test('a destination that takes only uncompressed syntaxes gets converted copies with the same pixels', { skip: netnsUnavailable() }, async () => {
  const native = tempDir();
  const study = writeStudy(native, { patientName: 'CONVERT^ME', patientId: 'CV1', slicesPerSeries: 3, rows: 96, columns: 80 });
  const compressed = tempDir();
  for (const [i, instance] of study.instances.entries()) {
    const copy = path.join(compressed, `IMG${i}.dcm`);
    convertTransferSyntax(instance.path, copy, i === 0 ? 'jpeg-ls' : i === 1 ? 'rle' : 'explicit-le');
  }
  const source = await sourceWith([compressed]);
  source.close();
  const out = tempDir();
  // storescp (default: uncompressed only) beside `noctis send`, in a namespace with only lo.
  const script = `
storescp -od "$1" 11112 >/dev/null 2>&1 & pid=$!
for i in $(seq 50); do echoscu 127.0.0.1 11112 2>/dev/null && break; sleep 0.1; done
node "$2" send --data-dir "$3" --study "$4" --to STORESCP@127.0.0.1:11112 --json
code=$?; kill $pid; exit $code`;
  const run = await inPrivateNetwork(script, [out, NOCTIS_BIN, source.paths.dataDir, study.studyInstanceUid]);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const report = JSON.parse(run.stdout) as SendReport;
  assert.equal(report.sent, 3);
  assert.equal(report.converted, 2, 'JPEG-LS and RLE were decoded for this destination');
  assert.equal(report.asStored, 1);

  const pixels = (file: string) => {
    const bytes = fs.readFileSync(file);
    const dataset = dicomParser.parseDicom(new Uint8Array(bytes));
    const element = dataset.elements.x7fe00010;
    return { syntax: dataset.string('x00020010'), sop: dataset.string('x00080018'), data: bytes.subarray(element.dataOffset, element.dataOffset + element.length) };
  };
  const received = fs.readdirSync(out).map((name) => pixels(path.join(out, name)));
  assert.equal(received.length, 3);
  for (const instance of study.instances) {
    const got = received.find((r) => r.sop === instance.sopInstanceUid);
    assert.ok(got, instance.sopInstanceUid);
    assert.match(got.syntax ?? '', /^1\.2\.840\.10008\.1\.2(\.1)?$/, 'an uncompressed syntax');
    assert.deepEqual(got.data, pixels(instance.path).data, 'lossless: the same pixel values');
  }
});

test('to Orthanc: every syntax it is sent arrives with the same data set (checked over its REST API)', { skip: orthancAvailable() }, async () => {
  const corpus = syntaxCorpus(tempDir(), ['explicit-le', 'implicit-le', 'jpeg-lossless', 'jpeg-ls', 'rle', 'jpeg-baseline']);
  const source = await sourceWith([corpus.dir]);
  const stored = sopMap(source);
  source.close();
  const dump = tempDir();
  const script = 'for study in "${@:3}"; do node "$1" send --data-dir "$2" --study "$study" --to "$ORTHANC_AET@127.0.0.1:$ORTHANC_DICOM_PORT" || exit $?; done';
  const run = await runWithOrthanc({
    command: ['bash', '-c', script, 'send-all', NOCTIS_BIN, source.paths.dataDir, ...corpus.studyInstanceUids],
    dumpDir: dump,
  });
  assert.equal(run.code, 0, run.stderr + run.stdout);
  assert.equal(fs.readdirSync(dump).length, corpus.syntaxOf.size);
  for (const sop of corpus.syntaxOf.keys()) {
    const arrived = fs.readFileSync(path.join(dump, `${sop}.dcm`));
    assert.equal(datasetDigest(arrived), datasetDigest(fs.readFileSync(stored.get(sop)?.path ?? '')), sop);
  }
});

test('C-ECHO reports success with its round trip, and a closed port or a refusal in plain words', async () => {
  const core = tempCore();
  const target = tempCore();
  const port = await startReceiver(target, { scpAllow: ['FRIEND'] });
  await api(core, 'settings.set', { scpAeTitle: 'FRIEND' });
  const ok = await core.sender.echo({ aeTitle: 'NOCTIS', host: '127.0.0.1', port });
  assert.equal(ok.ok, true, ok.message);
  assert.ok(ok.roundTripMs > 0 && ok.roundTripMs < 5000);
  await api(core, 'settings.set', { scpAeTitle: 'STRANGER' });
  const refused = await core.sender.echo({ aeTitle: 'NOCTIS', host: '127.0.0.1', port });
  assert.equal(refused.ok, false);
  assert.match(refused.message, /refused the association.*STRANGER/);
  await target.receiver.stop();
  const closed = await core.sender.echo({ aeTitle: 'NOCTIS', host: '127.0.0.1', port });
  assert.equal(closed.ok, false);
  assert.match(closed.message, /Cannot reach 127\.0\.0\.1:\d+/);
});

test('a refused association fails every instance; retrying the failures after the fix sends them all', async () => {
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'RETRY^ME', patientId: 'RT1', seriesCount: 2, slicesPerSeries: 3 });
  const source = await sourceWith([dir]);
  const target = tempCore();
  const port = await startReceiver(target, { scpAllow: ['SOMEONE_ELSE'] });
  const admin = await signedIn(source, 'admin');
  const tech = await signedIn(source, 'technologist');
  const node = await admin.call('nodes.create', { aeTitle: 'NOCTIS', host: '127.0.0.1', port, description: 'second workstation' });
  const finished = new Map<string, SendReport>();
  source.on('send.finished', (report) => finished.set(report.jobId, report));
  const waitFor = async (jobId: string) => {
    while (!finished.has(jobId)) await new Promise((r) => setTimeout(r, 20));
    return finished.get(jobId) as SendReport;
  };

  const { jobId } = await tech.call('send.start', { studyInstanceUid: study.studyInstanceUid, nodeId: node.nodeId });
  const failed = await waitFor(jobId);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.failed, 6);
  assert.match(failed.error ?? '', /refused the association/);
  assert.equal((await tech.call('send.get', { jobId })).status, 'failed', 'kept in the send history');

  await target.receiver.start({ scpEnabled: true, scpPort: port, scpBindAddress: '127.0.0.1', scpAllow: [] });
  const retry = await tech.call('send.retry', { jobId });
  const done = await waitFor(retry.jobId);
  assert.equal(done.status, 'completed');
  assert.equal(done.sent, 6);
  assert.equal(done.retryOf, jobId);
  assert.equal((await api(target, 'studies.search', {})).studies[0]?.instanceCount, 6);
  assert.deepEqual(
    (await tech.call('send.list', {})).map((r) => r.jobId),
    [retry.jobId, jobId],
  );
  await target.receiver.stop();
});

test('cancel stops after the instance in flight: the job says cancelled, nothing is counted as failed', async () => {
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'CANCEL^ME', patientId: 'CN1', modality: 'CR', slicesPerSeries: 40, rows: 512, columns: 512 });
  const source = await sourceWith([dir]);
  const target = tempCore();
  const port = await startReceiver(target);
  const controller = new AbortController();
  let progressed = 0;
  source.on('send.progress', (p) => {
    progressed = p.done;
    if (p.done >= 2) controller.abort();
  });
  const report = await source.sendStudy(study.studyInstanceUid, null, { aeTitle: 'NOCTIS', host: '127.0.0.1', port }, controller.signal);
  assert.equal(report.status, 'cancelled');
  assert.ok(report.done < report.total, `${report.done} of ${report.total}`);
  assert.equal(report.failed, 0);
  assert.equal(report.sent, [...target.instances()].length, 'what was sent is what arrived');
  assert.ok(progressed >= 2);
  await target.receiver.stop();
});

test('nodes are managed by admins only; technologists list and test them, and nothing else', async () => {
  const core = tempCore();
  const admin = await signedIn(core, 'admin');
  const tech = await signedIn(core, 'technologist');
  const radiologist = await signedIn(core, 'radiologist');
  const node = await admin.call('nodes.create', { aeTitle: 'PACS', host: 'pacs.example.org', port: 104 });
  await assert.rejects(admin.call('nodes.create', { aeTitle: 'PACS', host: 'pacs.example.org', port: 104 }), (e: { code: string }) => e.code === 'NODE_EXISTS');
  await assert.rejects(admin.call('nodes.create', { aeTitle: 'BAD\\AE', host: 'x', port: 104 }), (e: { code: string }) => e.code === 'VALIDATION_FAILED');
  await assert.rejects(tech.call('nodes.create', { aeTitle: 'MINE', host: 'x', port: 104 }), (e: { code: string }) => e.code === 'PERMISSION_DENIED');
  await assert.rejects(radiologist.call('nodes.list', {}), (e: { code: string }) => e.code === 'PERMISSION_DENIED');
  assert.deepEqual(
    (await tech.call('nodes.list', {})).map((n) => n.aeTitle),
    ['PACS'],
  );
  const updated = await admin.call('nodes.update', { nodeId: node.nodeId, port: 11112, description: 'main archive' });
  assert.equal(updated.port, 11112);
  await admin.call('nodes.delete', { nodeId: node.nodeId });
  assert.deepEqual(await tech.call('nodes.list', {}), []);
  const changes = (await api(core, 'audit.list', { code: '110113' })).events.filter((e) => /DICOM node/.test(e.description));
  assert.equal(changes.length, 3);
  assert.ok(fs.existsSync(core.paths.dbFile));
});
