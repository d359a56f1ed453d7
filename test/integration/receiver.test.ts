// The DICOM receiver against real dcmtk peers (echoscu, storescu, dcmsend) and hostile ones made
// here: every transfer syntax kept as sent, a disc's worth in one association, the allow-list,
// parallel senders, and connections cut, stalled or garbled, each ending only its association.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Core } from '../../electron/core';
import { writeCdExport } from '../fixtures/cd';
import type { Syntax } from '../fixtures/convert';
import { writeStudy } from '../fixtures/generate';
import { api, readLog, tempCore, tempDir } from '../helpers';
import { datasetBytes, dcmtk, startReceiver, syntaxCorpus } from '../network';
import { TempFiles } from '../../electron/core/network/storeFile';

const storeSop = (core: Core) => new Map([...core.instances()].map((i) => [i.sopInstanceUid, i]));
/** Received instances left in tmp/ (the receiver keeps a few empty files opened ahead: not instances). */
const tmpFiles = (core: Core) => fs.readdirSync(core.paths.tmpDir).filter((f) => f.startsWith('rx-') && fs.statSync(path.join(core.paths.tmpDir, f)).size > 0);

/** Waits until `check` holds (the receiver logs an association's end just after its socket closes). */
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const ended = (core: Core) => readLog(core).filter((l) => l.message === 'scp.association_ended');

test('C-ECHO answers, and storescu stores a study that is indexed before storescu returns', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const echo = await dcmtk('echoscu', ['-aec', 'NOCTIS', '127.0.0.1', String(port)]);
  assert.equal(echo.code, 0, echo.stderr);

  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'RECEIVED^ONE', patientId: 'RX1', seriesCount: 2, slicesPerSeries: 4 });
  const sent = await dcmtk('storescu', ['-aet', 'CT_SCANNER', '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
  assert.equal(sent.code, 0, sent.stderr);
  // No waiting: each C-STORE was answered only once its instance was indexed.
  const [row] = (await api(core, 'studies.search', {})).studies;
  assert.equal(row.studyInstanceUid, study.studyInstanceUid);
  assert.equal(row.seriesCount, 2);
  assert.equal(row.instanceCount, 8);
  const stored = storeSop(core);
  for (const instance of study.instances) {
    const got = stored.get(instance.sopInstanceUid);
    assert.ok(got, instance.sopInstanceUid);
    assert.deepEqual(datasetBytes(got.path), datasetBytes(instance.path), 'the data set is stored as sent');
  }
  assert.deepEqual(tmpFiles(core), []);

  await until(() => ended(core).length >= 2, 'the associations to end');
  const audit = await api(core, 'audit.list', { code: '110104' });
  assert.equal(audit.events.length, 1);
  assert.equal(audit.events[0].aeTitle, 'CT_SCANNER');
  assert.deepEqual(audit.events[0].studyUids, [study.studyInstanceUid]);
  assert.match(audit.events[0].description, /received 8 instances .* from CT_SCANNER@127\.0\.0\.1/);
  const health = await api(core, 'health.get', {});
  assert.equal(health.periods.lastHour.instancesReceived, 8);
  assert.equal(health.receiver.listening, true);
  assert.equal(core.receiver.status().received.instances, 8);
  await core.receiver.stop();
});

/** storescu's option proposing exactly the syntax a file is in (it proposes one compressed syntax per run). */
const DEFLATED = '1.2.840.10008.1.2.1.99';
const PROPOSE: Readonly<Record<Syntax, string>> = {
  'explicit-le': '-xe',
  'implicit-le': '-xi',
  'explicit-be': '-xb',
  deflated: '-xd',
  'jpeg-lossless': '-xs',
  'jpeg-ls': '-xt',
  rle: '-xr',
  'jpeg-baseline': '-xy',
  'jpeg-extended': '-xx',
  'jpeg-2000': '-xv',
};

test('every transfer syntax is stored as sent, byte for byte; the same again is a duplicate', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const dir = tempDir();
  const corpus = syntaxCorpus(dir);
  const sendAll = async () => {
    for (const syntax of Object.keys(PROPOSE) as Syntax[]) {
      const sent = await dcmtk('storescu', [PROPOSE[syntax], '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), path.join(dir, syntax)]);
      assert.equal(sent.code, 0, `${syntax}: ${sent.stderr}`);
    }
  };
  await sendAll();
  const stored = storeSop(core);
  assert.equal(stored.size, corpus.syntaxOf.size);
  for (const [sop, syntax] of corpus.syntaxOf) {
    const got = stored.get(sop);
    assert.ok(got, sop);
    assert.equal(got.transferSyntaxUid, syntax, `${sop} stored in the syntax it was sent in`);
    // storescu inflates a deflated file and deflates it again as it sends: compare what is inside.
    const content = (file: string) => (syntax === DEFLATED ? zlib.inflateRawSync(datasetBytes(file)) : datasetBytes(file));
    assert.deepEqual(content(got.path), content(corpus.fileOf.get(sop) ?? ''), `${syntax}: same bytes`);
  }
  const studies = (await api(core, 'studies.search', {})).studies;
  assert.deepEqual(studies.map((s) => s.studyInstanceUid).sort(), [...corpus.studyInstanceUids].sort());

  await sendAll();
  assert.equal(storeSop(core).size, corpus.syntaxOf.size, 'duplicates are answered success and not stored twice');
  assert.equal((await api(core, 'studies.search', {})).studies.reduce((n, s) => n + s.conflictCount, 0), 0);
  await core.receiver.stop();
});

test('dcmsend: a mixed folder in one association, each compressed file kept in its syntax', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const corpus = syntaxCorpus(tempDir(), ['jpeg-lossless', 'jpeg-ls', 'rle', 'jpeg-baseline', 'explicit-le', 'implicit-le']);
  const sent = await dcmtk('dcmsend', ['-aec', 'NOCTIS', '+sd', '+r', '-dn', '127.0.0.1', String(port), corpus.dir]);
  assert.equal(sent.code, 0, sent.stderr);
  const stored = storeSop(core);
  assert.equal(stored.size, corpus.syntaxOf.size);
  for (const [sop, syntax] of corpus.syntaxOf) {
    if (syntax === '1.2.840.10008.1.2' || syntax === '1.2.840.10008.1.2.1') continue; // dcmsend may re-encode these itself
    assert.equal(stored.get(sop)?.transferSyntaxUid, syntax);
  }
  await until(() => ended(core).length >= 1, 'the association to end');
  assert.equal(ended(core).length, 1, 'one association');
  await core.receiver.stop();
});

test('a disc export (DICOMDIR, 8.3 names) sent whole arrives with its hierarchy exact', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const disc = tempDir();
  const cd = writeCdExport(disc, [
    { patientName: 'DISC^SENT', patientId: 'DS1', seriesCount: 3, slicesPerSeries: 5 },
    { patientName: 'DISC^MR', patientId: 'DS2', modality: 'MR', seriesCount: 2, slicesPerSeries: 4 },
  ]);
  // The DICOMDIR is not an instance, and dcmsend stops at the disc's non-DICOM files: send the images' folder.
  fs.rmSync(cd.dicomdirPath);
  const sent = await dcmtk('dcmsend', ['-aec', 'NOCTIS', '+sd', '+r', '-dn', '127.0.0.1', String(port), path.join(disc, 'DICOM')]);
  assert.equal(sent.code, 0, sent.stderr);
  const studies = (await api(core, 'studies.search', {})).studies.sort((a, b) => a.patientId.localeCompare(b.patientId));
  assert.deepEqual(
    studies.map((s) => [s.patientId, s.seriesCount, s.instanceCount]),
    [
      ['DS1', 3, 15],
      ['DS2', 2, 8],
    ],
  );
  const detail = await api(core, 'studies.get', { studyInstanceUid: studies[0].studyInstanceUid });
  assert.deepEqual(
    detail.series.map((s) => s.instances.length),
    [5, 5, 5],
  );
  await core.receiver.stop();
});

test('with an allow-list, unknown calling AEs are refused at association and audited as a security alert', async () => {
  const core = tempCore();
  const port = await startReceiver(core, { scpAllow: ['CT_SCANNER', 'PACS@127.0.0.1', 'FAR@10.9.9.9'] });
  const dir = tempDir();
  writeStudy(dir, { patientName: 'ALLOW^TEST', patientId: 'AL1', slicesPerSeries: 2 });
  const store = (aet: string) => dcmtk('storescu', ['-aet', aet, '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);

  const stranger = await store('STRANGER');
  assert.notEqual(stranger.code, 0);
  assert.match(stranger.stderr, /Association Rejected|Calling AE Title Not Recognized/i);
  const wrongHost = await store('FAR');
  assert.notEqual(wrongHost.code, 0, 'FAR may store only from 10.9.9.9');
  assert.equal(storeSop(core).size, 0);
  assert.equal((await store('CT_SCANNER')).code, 0);
  assert.equal((await store('PACS')).code, 0);
  assert.equal(storeSop(core).size, 2);

  const alerts = (await api(core, 'audit.list', { code: '110113' })).events;
  assert.deepEqual(alerts.map((e) => e.aeTitle).sort(), ['FAR', 'STRANGER']);
  assert.match(alerts[0].description, /not in the receiver's allow-list/);
  assert.equal(core.receiver.status().received.rejected, 2);
  await core.receiver.stop();
});

test('parallel associations each store their own study; one over the limit is refused and retried later', async () => {
  const core = tempCore();
  const port = await startReceiver(core, { scpMaxAssociations: 4 });
  const dirs = Array.from({ length: 4 }, (_, i) => {
    const dir = tempDir();
    writeStudy(dir, { patientName: `PARALLEL^${i}`, patientId: `PA${i}`, seriesCount: 2, slicesPerSeries: 10 });
    return dir;
  });
  const runs = await Promise.all(dirs.map((dir, i) => dcmtk('storescu', ['-aet', `MOD${i}`, '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir])));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const studies = (await api(core, 'studies.search', {})).studies;
  assert.equal(studies.length, 4);
  assert.ok(studies.every((s) => s.instanceCount === 20 && s.seriesCount === 2));
  await core.receiver.stop();

  // One association allowed: a second caller is told "local limit exceeded" (transient).
  const limited = tempCore();
  const limitedPort = await startReceiver(limited, { scpMaxAssociations: 1 });
  const holder = net.connect(limitedPort, '127.0.0.1');
  await new Promise((resolve) => holder.once('connect', resolve));
  await until(() => limited.receiver.status().associations === 1, 'the held connection');
  const refused = await dcmtk('echoscu', ['-aec', 'NOCTIS', '127.0.0.1', String(limitedPort)]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Local Limit Exceeded|Rejected/i);
  holder.destroy();
  await until(() => limited.receiver.status().associations === 0, 'the held connection to close');
  assert.equal((await dcmtk('echoscu', ['-aec', 'NOCTIS', '127.0.0.1', String(limitedPort)])).code, 0);
  await limited.receiver.stop();
});

/** A TCP relay between a sender and the receiver that cuts or stalls the stream after `afterBytes`. */
function relay(targetPort: number, afterBytes: number, mode: 'cut' | 'stall'): Promise<{ port: number; close: () => void; tripped: () => boolean }> {
  let tripped = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let forwarded = 0;
    client.on('data', (chunk) => {
      if (tripped) return;
      const room = afterBytes - forwarded;
      forwarded += chunk.length;
      if (room > chunk.length) {
        upstream.write(chunk);
        return;
      }
      upstream.write(chunk.subarray(0, Math.max(0, room)));
      tripped = true;
      if (mode === 'cut') {
        upstream.destroy();
        client.destroy();
      } // stall: both stay open and silent
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        tripped: () => tripped,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    );
  });
}

test('a sender cut off mid-instance leaves nothing partial, and the receiver goes on serving', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const dir = tempDir();
  // Two 2 MB CR images: the cut falls inside the second one's pixel data.
  const study = writeStudy(dir, { patientName: 'CUT^OFF', patientId: 'CO1', modality: 'CR', slicesPerSeries: 2 });
  const first = study.instances[0].bytes;
  const cutter = await relay(port, first + 600_000, 'cut');
  const cut = await dcmtk('storescu', ['-aec', 'NOCTIS', '127.0.0.1', String(cutter.port), study.instances[0].path, study.instances[1].path]);
  cutter.close();
  assert.ok(cutter.tripped());
  assert.notEqual(cut.code, 0, 'the sender saw its association fail');
  await until(() => ended(core).some((l) => l.ending === 'aborted' || l.ending === 'error'), 'the cut association to end');
  assert.deepEqual(tmpFiles(core), [], 'the partial instance was removed');
  const stored = storeSop(core);
  assert.equal(stored.size, 1, 'the complete first instance is kept, the cut one is not indexed');
  assert.ok(stored.has(study.instances[0].sopInstanceUid));
  assert.equal((await api(core, 'health.check', {})).result, 'ok');

  const whole = await dcmtk('storescu', ['-aec', 'NOCTIS', '127.0.0.1', String(port), study.instances[1].path]);
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(storeSop(core).size, 2);
  await core.receiver.stop();
});

test('a peer that stalls mid-PDU is aborted after the timeout; garbage and oversized PDUs are cut at once', async () => {
  const core = tempCore();
  const port = await startReceiver(core, { scpTimeoutSeconds: 5 });
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'STALL^TEST', patientId: 'ST1', modality: 'CR', slicesPerSeries: 1 });
  const staller = await relay(port, 300_000, 'stall');
  const stalled = dcmtk('storescu', ['-aec', 'NOCTIS', '-to', '30', '127.0.0.1', String(staller.port), study.instances[0].path]);
  await until(() => staller.tripped(), 'the stall');
  await until(() => ended(core).some((l) => l.ending === 'timeout'), 'the timeout', 15_000);
  staller.close();
  await stalled;
  assert.deepEqual(tmpFiles(core), []);
  assert.equal(storeSop(core).size, 0);

  const closedBy = (bytes: Buffer) =>
    new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Date.now() - started));
      setTimeout(() => reject(new Error('the receiver kept the connection open')), 4000);
    });
  // Not a PDU type at all.
  await closedBy(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  // A P-DATA-TF PDU claiming 100 MB: refused from its header, before any of it is buffered.
  const huge = Buffer.alloc(6);
  huge.writeUInt8(0x04, 0);
  huge.writeUInt32BE(100_000_000, 2);
  await closedBy(huge);

  assert.equal((await dcmtk('echoscu', ['-aec', 'NOCTIS', '127.0.0.1', String(port)])).code, 0, 'still serving');
  const sent = await dcmtk('storescu', ['-aec', 'NOCTIS', '127.0.0.1', String(port), study.instances[0].path]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(storeSop(core).size, 1);
  await core.receiver.stop();
});

test('below the free-space floor every C-STORE is answered "out of resources" and nothing is kept', async () => {
  const core = tempCore();
  await api(core, 'settings.set', { minFreeDiskMB: 100_000_000 });
  const port = await startReceiver(core);
  const dir = tempDir();
  writeStudy(dir, { patientName: 'FULL^DISK', patientId: 'FD1', slicesPerSeries: 2 });
  const sent = await dcmtk('storescu', ['-v', '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
  assert.notEqual(sent.code, 0);
  assert.match(sent.stderr + sent.stdout, /Received Store Response \(Refused: OutOfResources\)/);
  assert.equal(storeSop(core).size, 0);
  assert.deepEqual(tmpFiles(core), []);
  await core.receiver.stop();
});

test('the same UID with other content is kept as a conflict and answered with a warning', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'CONFLICT^RX', patientId: 'CF1', slicesPerSeries: 1 });
  const file = study.instances[0].path;
  assert.equal((await dcmtk('storescu', ['-aec', 'NOCTIS', '127.0.0.1', String(port), file])).code, 0);
  const changed = path.join(tempDir(), 'changed.dcm');
  fs.copyFileSync(file, changed);
  const edit = await dcmtk('dcmodify', ['-nb', '-m', 'SeriesDescription=EDITED ELSEWHERE', changed]);
  assert.equal(edit.code, 0, edit.stderr);
  const second = await dcmtk('storescu', ['-v', '-aec', 'NOCTIS', '127.0.0.1', String(port), changed]);
  assert.match(second.stdout + second.stderr, /Warning|Coercion|b000/i);
  const [row] = (await api(core, 'studies.search', {})).studies;
  assert.equal(row.instanceCount, 1);
  assert.equal(row.conflictCount, 1, 'kept and visible on the study, never dropped');
  await core.receiver.stop();
});

test('settings restart the receiver: enabling, the allow-list and disabling apply at once', async (t) => {
  const core = tempCore(undefined, { kind: 'serve' });
  t.after(() => core.shutdown());
  assert.equal(core.receiver.status().listening, false, 'off by default');
  const port = await freePort();
  await api(core, 'settings.set', { scpEnabled: true, scpPort: port, scpBindAddress: '127.0.0.1', scpAllow: ['ONLY_ME'] });
  await until(() => core.receiver.status().listening, 'the receiver to start');
  assert.equal(core.receiver.status().port, port);
  assert.notEqual((await dcmtk('echoscu', ['-aet', 'OTHER', '-aec', 'NOCTIS', '127.0.0.1', String(port)])).code, 0);
  assert.equal((await dcmtk('echoscu', ['-aet', 'ONLY_ME', '-aec', 'NOCTIS', '127.0.0.1', String(port)])).code, 0);
  assert.equal((await api(core, 'health.get', {})).checks.find((c) => c.name === 'receiver')?.status, 'ok');

  await api(core, 'settings.set', { scpAllow: [] });
  await until(() => core.receiver.status().allowList.length === 0, 'the allow-list to clear');
  assert.equal((await dcmtk('echoscu', ['-aet', 'OTHER', '-aec', 'NOCTIS', '127.0.0.1', String(port)])).code, 0);
  assert.match((await api(core, 'health.get', {})).checks.find((c) => c.name === 'receiver')?.detail ?? '', /any calling AE may store/);

  await api(core, 'settings.set', { scpEnabled: false });
  await until(() => !core.receiver.status().listening, 'the receiver to stop');
  assert.notEqual((await dcmtk('echoscu', ['-aet', 'ONLY_ME', '-aec', 'NOCTIS', '127.0.0.1', String(port)])).code, 0);
  assert.equal((await api(core, 'health.get', {})).receiver.enabled, false);
});

test('a port already taken is reported, not thrown: health warns that the receiver is not listening', async () => {
  const blocker = net.createServer();
  const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
  const core = tempCore();
  const status = await core.receiver.start({ scpEnabled: true, scpPort: port, scpBindAddress: '127.0.0.1' });
  blocker.close();
  assert.equal(status.listening, false);
  assert.match(status.error ?? '', new RegExp(`Port ${port} is already in use`));
  const check = (await api(core, 'health.get', {})).checks.find((c) => c.name === 'receiver');
  assert.equal(check?.status, 'warning');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('temp files are opened ahead, as many as associations may need at once, and those not taken are removed on close', async () => {
  const dir = tempDir();
  const names = () => fs.readdirSync(dir).sort();
  const temp = new TempFiles(dir, 3);
  await until(() => names().length === 3, 'three files opened ahead');
  const taken = Array.from({ length: 5 }, () => temp.take());
  assert.equal(new Set(taken.map((f) => f.path)).size, 5, 'each take is a new file, made on the spot when none is ready');
  for (const file of taken) fs.writeSync(file.fd, Buffer.from('taken'));
  await until(() => names().length === 8, 'three more opened ahead');
  temp.close();
  // Files still opening when it closed are removed as their open completes.
  const kept = taken.map((f) => path.basename(f.path)).sort();
  await until(() => names().length === kept.length, 'the ready ones removed');
  await sleep(100);
  assert.deepEqual(names(), kept, 'the ready ones removed, the taken ones are their owners’');
  for (const file of taken) fs.closeSync(file.fd);
});

test('a cut copy left at a received instance’s content address (a power cut before its row) is replaced on the next send', async () => {
  const dir = tempDir();
  writeStudy(dir, { patientName: 'CUT^RECEIVED', patientId: 'RX9', slicesPerSeries: 2 });
  const send = async (core: Core) => {
    const port = await startReceiver(core);
    const sent = await dcmtk('storescu', ['-aet', 'CT_SCANNER', '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
    assert.equal(sent.code, 0, sent.stderr);
    await core.receiver.stop();
    return [...storeSop(core).values()].map((i) => ({ rel: path.relative(core.paths.dataDir, i.path), bytes: fs.readFileSync(i.path) }));
  };
  const first = await send(tempCore());
  assert.equal(first.length, 2);
  // Another store where those addresses hold what a power cut can leave: a cut copy and no row.
  const core = tempCore();
  for (const { rel, bytes } of first) {
    fs.mkdirSync(path.dirname(path.join(core.paths.dataDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(core.paths.dataDir, rel), bytes.subarray(0, 1000));
  }
  const again = await send(core);
  assert.deepEqual(again.map((i) => i.rel).sort(), first.map((i) => i.rel).sort(), 'the same bytes, so the same addresses');
  for (const { rel, bytes } of first) assert.deepEqual(fs.readFileSync(path.join(core.paths.dataDir, rel)), bytes, rel);
  assert.deepEqual(tmpFiles(core), []);
});

test('an instance whose data cannot be synced (the disk fills at write-back, or fails) is refused and never indexed', async (t) => {
  const core = tempCore();
  const port = await startReceiver(core);
  const dir = tempDir();
  writeStudy(dir, { patientName: 'SYNC^FAILS', patientId: 'SF1', slicesPerSeries: 2 });
  // The receiver's own fdatasync of each instance fails as a full or broken disk makes it fail.
  const failWith = (code: string) =>
    t.mock.method(fs, 'fdatasync', (_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) =>
      setImmediate(() => callback(Object.assign(new Error(`${code}: fdatasync`), { code }))),
    );
  const full = failWith('ENOSPC');
  let sent = await dcmtk('storescu', ['-v', '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
  assert.match(sent.stderr + sent.stdout, /Received Store Response \(Refused: OutOfResources\)/);
  assert.equal(storeSop(core).size, 0);
  full.mock.restore();

  const broken = failWith('EIO');
  sent = await dcmtk('storescu', ['-v', '-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
  assert.match(sent.stderr + sent.stdout, /Received Store Response \(Unknown Status: 0x110\)/, '0110H: processing failure');
  assert.equal(storeSop(core).size, 0);
  broken.mock.restore();

  sent = await dcmtk('storescu', ['-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(storeSop(core).size, 2, 'once the disk is sound again, the same send is stored');
  assert.deepEqual(tmpFiles(core), []);
  await core.receiver.stop();
});

test('sent again, an indexed instance is a duplicate at once; one whose stored copy went missing is put back', async () => {
  const core = tempCore();
  const port = await startReceiver(core);
  const dir = tempDir();
  writeStudy(dir, { patientName: 'SENT^TWICE', patientId: 'ST1', slicesPerSeries: 3 });
  const send = async () => {
    const sent = await dcmtk('storescu', ['-aec', 'NOCTIS', '+sd', '+r', '127.0.0.1', String(port), dir]);
    assert.equal(sent.code, 0, sent.stderr);
  };
  await send();
  const [lost, kept] = [...storeSop(core).values()];
  const keptInode = fs.statSync(kept.path).ino;
  fs.rmSync(lost.path);
  await send();
  assert.equal(storeSop(core).size, 3, 'no new rows');
  assert.ok(fs.existsSync(lost.path), 'the missing copy is back');
  assert.equal(fs.statSync(kept.path).ino, keptInode, 'the others untouched');
  assert.deepEqual(tmpFiles(core), []);
  await core.receiver.stop();
});
