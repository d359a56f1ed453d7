import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientMessage } from '../../electron/host/protocol';

test('accepts a well-formed call and rejects everything else', () => {
  assert.deepEqual(parseClientMessage('{"id":1,"channel":"studies.search","payload":{}}'), {
    id: 1,
    channel: 'studies.search',
    payload: {},
  });
  for (const bad of ['', 'null', '[]', '{"id":"1","channel":"x"}', '{"id":1.5,"channel":"x"}', '{"id":1}', `{"id":1,"channel":"${'x'.repeat(200)}"}`]) {
    assert.equal(parseClientMessage(bad), undefined, bad);
  }
});
