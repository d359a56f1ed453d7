import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeStudy } from '../fixtures/generate';
import { readLog, tempCore, tempDir } from '../helpers';

test('a failed call returns code, message, recovery and an errorId that is in the log', async () => {
  const core = tempCore();
  const ctx = { instanceUrl: (u: string) => u, local: { user: 'cli:test' } };
  const replies = await Promise.all([
    core.dispatch('studies.get', { studyInstanceUid: '1.2.3.4' }, ctx),
    core.dispatch('studies.search', { limit: 'all' }, ctx),
    core.dispatch('no.such.channel', {}, ctx),
  ]);
  const errors = replies.map((r) => {
    assert.equal(r.ok, false);
    return r.ok ? undefined : r.error;
  });
  assert.deepEqual(errors.map((e) => e?.code), ['STUDY_NOT_FOUND', 'VALIDATION_FAILED', 'UNKNOWN_CHANNEL']);
  const log = readLog(core);
  for (const error of errors) {
    assert.ok(error?.message && error.recovery);
    const line = log.find((l) => l.errorId === error.errorId);
    assert.ok(line, `errorId ${error.errorId} is in the log`);
    assert.equal(line.code, error.code);
    assert.equal(line.level, 'warn');
    assert.equal(line.scope, 'api');
  }
});

test('search matches name, patient ID and accession, and pages', async () => {
  const core = tempCore();
  const source = tempDir();
  writeStudy(source, { patientName: 'DOE^JANE', patientId: 'A100', accessionNumber: 'ACC-7', studyDate: '20260101', slicesPerSeries: 1 });
  writeStudy(source, { patientName: 'DOE^JOHN', patientId: 'B200', studyDate: '20260202', slicesPerSeries: 1 });
  writeStudy(source, { patientName: 'ROE^100%', patientId: 'C300', studyDate: '20260303', slicesPerSeries: 1 });
  await core.importFiles([source]);
  const ids = async (payload: Record<string, unknown>) => {
    const reply = await core.dispatch('studies.search', payload, { instanceUrl: (u) => u, local: { user: 'cli:test' } });
    assert.ok(reply.ok);
    const result = reply.result as { studies: Array<{ patientId: string }>; total: number };
    return { ids: result.studies.map((s) => s.patientId), total: result.total };
  };
  assert.deepEqual(await ids({}), { ids: ['C300', 'B200', 'A100'], total: 3 }, 'newest first');
  assert.deepEqual((await ids({ query: 'doe' })).ids, ['B200', 'A100']);
  assert.deepEqual((await ids({ query: 'b20' })).ids, ['B200']);
  assert.deepEqual((await ids({ query: 'acc-7' })).ids, ['A100']);
  assert.deepEqual((await ids({ query: '100%' })).ids, ['C300'], 'LIKE wildcards are literal');
  assert.deepEqual((await ids({ query: '%' })).ids, [], 'a prefix of no name, ID or accession');
  assert.deepEqual((await ids({ query: 'do*' })).ids, ['B200', 'A100'], 'a trailing * as in DICOM queries');
  assert.deepEqual(await ids({ limit: 1, offset: 1 }), { ids: ['B200'], total: 3 });
});
