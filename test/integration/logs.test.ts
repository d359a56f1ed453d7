// The log: JSON lines that rotate at a size limit keeping a fixed number of files, read back
// newest first by the log viewer's query; errors from a window logged with their errorId.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ErrorInfo } from '../../shared/errors';
import { api, readLog, tempCore } from '../helpers';

const LIMIT = 20_000;

test('the log rotates at its size limit and keeps ten files, every line whole JSON', async () => {
  const core = tempCore(undefined, { logMaxSizeBytes: LIMIT });
  const padding = 'x'.repeat(200);
  for (let i = 0; i < 2000; i++) core.log.info('test.line', { i, padding });
  const files = fs.readdirSync(core.paths.logsDir).sort();
  assert.deepEqual(files, ['noctis.1.log', ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `noctis.${n}.log`), 'noctis.log'].sort());
  const numbers: number[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(core.paths.logsDir, file), 'utf8');
    assert.ok(text.length <= LIMIT + 400, `${file}: ${text.length} bytes`);
    for (const line of text.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { i?: number; level: string; time: string };
      if (entry.i !== undefined) numbers.push(entry.i);
    }
  }
  // The oldest lines were dropped with the oldest file; the newest are all there, none twice.
  assert.ok(numbers.length < 2000 && numbers.includes(1999) && !numbers.includes(0));
  assert.equal(new Set(numbers).size, numbers.length);

  // The viewer reads across the files newest first.
  const { entries, more } = await api(core, 'logs.query', { text: 'test.line', limit: 500 });
  assert.equal(entries.length, 500);
  assert.equal(more, true);
  assert.deepEqual(entries.slice(0, 3).map((e) => e.context.i), [1999, 1998, 1997]);
  const seq = entries.map((e) => e.context.i as number);
  assert.ok(seq.every((n, k) => k === 0 || n === seq[k - 1] - 1), 'consecutive, across file boundaries');
});

test('the log query filters by level, scope and text', async () => {
  const core = tempCore();
  core.log.scope('import').warn('import.file_problem', { path: '/media/cdrom/IMG1' });
  core.log.scope('import').info('import.started', { jobId: 'j1' });
  core.log.scope('net').error('net.refused', { caller: 'ROGUE' });
  await assert.rejects(api(core, 'studies.get', { studyInstanceUid: '9.9' }));

  const warnings = await api(core, 'logs.query', { level: 'warn' });
  assert.deepEqual(warnings.entries.map((e) => e.message), ['api.call_failed', 'net.refused', 'import.file_problem']);
  assert.ok(warnings.entries.every((e) => e.level === 'warn' || e.level === 'error'));
  assert.deepEqual((await api(core, 'logs.query', { scope: 'import' })).entries.map((e) => e.message), ['import.started', 'import.file_problem']);
  const byText = await api(core, 'logs.query', { text: 'CDROM' });
  assert.deepEqual(byText.entries.map((e) => e.context.path), ['/media/cdrom/IMG1']);
  assert.equal(byText.more, false);
  assert.equal(byText.folder, core.paths.logsDir);
  await assert.rejects(api(core, 'logs.query', { level: 'fatal' as 'error' }), (e: ErrorInfo) => e.code === 'VALIDATION_FAILED');
});

test('an error a window reports is logged with the errorId the window shows', async () => {
  const core = tempCore();
  const { errorId } = await api(core, 'log.report', { message: 'TypeError: x is undefined', stack: 'at Viewport (viewport.tsx:12)', source: 'error', url: 'noctis://app/index.html' });
  const line = readLog(core).find((l) => l.errorId === errorId);
  assert.ok(line);
  assert.equal(line.level, 'error');
  assert.equal(line.message, 'window.error');
  assert.equal(line.stack, 'at Viewport (viewport.tsx:12)');
});

test('opening the log folder needs a desktop window', async () => {
  const core = tempCore();
  await assert.rejects(api(core, 'logs.openFolder', {}), (e: ErrorInfo) => e.code === 'NOT_SUPPORTED');
  let opened = '';
  const reply = await core.dispatch('logs.openFolder', {}, { instanceUrl: (u) => u, local: { user: 'cli:test' }, openFolder: (dir) => Promise.resolve(void (opened = dir)) });
  assert.deepEqual(reply, { ok: true, result: { opened: true } });
  assert.equal(opened, core.paths.logsDir);
});

test('settings are validated, kept in the store and shared with the next process', async () => {
  const core = tempCore();
  const defaults = {
    minFreeDiskMB: 1024,
    idleLockMinutes: 15,
    sessionHours: 12,
    scpEnabled: false,
    scpAeTitle: 'NOCTIS',
    scpPort: 11112,
    scpBindAddress: '',
    scpAllow: [],
    scpMaxAssociations: 10,
    scpMaxPduBytes: 65536,
    scpTimeoutSeconds: 60,
    viewerCacheMB: 1024,
  };
  assert.deepEqual(await api(core, 'settings.get', {}), defaults);
  assert.deepEqual(await api(core, 'settings.set', { minFreeDiskMB: 500 }), { ...defaults, minFreeDiskMB: 500 });
  await assert.rejects(api(core, 'settings.set', { idleLockMinutes: 0 }), (e: ErrorInfo) => e.code === 'VALIDATION_FAILED');
  await assert.rejects(api(core, 'settings.set', { minFreeDiskMB: -1 }), (e: ErrorInfo) => e.code === 'VALIDATION_FAILED');
  await assert.rejects(api(core, 'settings.set', { colour: 'red' } as never), (e: ErrorInfo) => e.code === 'VALIDATION_FAILED');
  core.close();
  assert.deepEqual(await api(tempCore(core.paths.dataDir), 'settings.get', {}), { ...defaults, minFreeDiskMB: 500 });
});
