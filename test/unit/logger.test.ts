// The development console: readable lines, coloured by level on a terminal only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleLine } from '../../electron/core/log/logger';

const date = new Date('2026-12-03T10:11:12.345Z');

test('console lines read time, level, scope, event and context; colour only when asked', () => {
  const plain = consoleLine('warn', 'import.stopped', { scope: 'import', jobId: 'j1' }, date, false);
  assert.equal(plain, '10:11:12.345 warn  import  import.stopped {"jobId":"j1"}');
  const coloured = consoleLine('error', 'api.call_failed', { scope: 'api', error: new Error('boom') }, date, true);
  const ESC = '\u001b';
  assert.ok(coloured.startsWith(`${ESC}[31m10:11:12.345 error api    ${ESC}[0m api.call_failed `), coloured);
  assert.match(coloured, /"message":"boom"/, 'errors keep their message');
  assert.equal(consoleLine('info', 'core.started', undefined, date, false), '10:11:12.345 info          core.started');
});
