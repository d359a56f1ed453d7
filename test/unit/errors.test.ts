import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CATALOGUE, isErrorInfo } from '../../shared/errors';
import { NoctisError, toErrorInfo } from '../../electron/core/errors';

test('every error code has a plain message and a recovery step', () => {
  for (const [code, text] of Object.entries(ERROR_CATALOGUE)) {
    assert.match(code, /^[A-Z][A-Z_]+$/, code);
    assert.ok(text.message.length > 10 && text.message.endsWith('.'), `${code} message`);
    assert.ok(text.recovery.length > 10 && text.recovery.endsWith('.'), `${code} recovery`);
    assert.doesNotMatch(`${text.message} ${text.recovery}`, /stack|undefined|null|exception/i, code);
  }
});

test('a NoctisError becomes its catalogue entry; anything else becomes INTERNAL', () => {
  const info = toErrorInfo(new NoctisError('STUDY_NOT_FOUND', { studyInstanceUid: '1.2' }), 'id-1');
  assert.deepEqual(info, { code: 'STUDY_NOT_FOUND', ...ERROR_CATALOGUE.STUDY_NOT_FOUND, errorId: 'id-1' });
  const internal = toErrorInfo(new TypeError('x is not a function'), 'id-2');
  assert.equal(internal.code, 'INTERNAL');
  assert.equal(internal.message, ERROR_CATALOGUE.INTERNAL.message, 'internal details never reach the user');
  assert.ok(isErrorInfo(internal));
  assert.ok(!isErrorInfo({ code: 'NOPE', message: '', recovery: '', errorId: '' }));
});
