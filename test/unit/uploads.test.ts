import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { uploadTarget } from '../../electron/host/uploads';

const batch = '0f8fad5b-d9cb-469f-a165-70867728950e';

test('uploads land inside their batch folder, and nowhere else', () => {
  assert.equal(uploadTarget('/store/tmp/uploads', `/uploads/${batch}/CD/IMG%20001.dcm`), path.join('/store/tmp/uploads', batch, 'CD', 'IMG 001.dcm'));
  for (const evil of [
    `/uploads/${batch}/../../noctis.sqlite`,
    `/uploads/${batch}/%2e%2e/x`,
    `/uploads/${batch}/a%2fb`,
    `/uploads/${batch}/a%5cb`,
    `/uploads/${batch}/`,
    `/uploads/not-a-batch/x`,
    `/uploads/${batch}/x%00y`,
    `/elsewhere/${batch}/x`,
    `/uploads/${batch}/%E0%A4%A`,
  ]) {
    assert.equal(uploadTarget('/store/tmp/uploads', evil), undefined, evil);
  }
});
