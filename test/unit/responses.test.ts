import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileBytes, parseRange, rendererFile, RENDERER_CSP } from '../../electron/core/serve/responses';
import { tempDir } from '../helpers';

test('parses byte ranges as RFC 9110 says', () => {
  assert.equal(parseRange(null, 100), undefined);
  assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=95-200', 100), { start: 95, end: 99 });
  assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=5-1', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=0-1,5-6', 100), undefined, 'multi-range: whole file');
  assert.equal(parseRange('items=0-1', 100), undefined);
});

test('serves file bytes with Content-Length, and 206 with Content-Range for a range', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'x.dcm');
  const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  fs.writeFileSync(file, content);
  const whole = fileBytes({ path: file, size: content.length }, null, 'application/dicom');
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-length'), '1000');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), content);

  const part = fileBytes({ path: file, size: content.length }, 'bytes=10-19', 'application/dicom');
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-length'), '10');
  assert.equal(part.headers.get('content-range'), 'bytes 10-19/1000');
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), content.subarray(10, 20));

  const bad = fileBytes({ path: file, size: content.length }, 'bytes=2000-', 'application/dicom');
  assert.equal(bad.status, 416);
  assert.equal(bad.headers.get('content-range'), 'bytes */1000');
});

test('serves the renderer with its CSP and never outside its folder', async () => {
  const dir = tempDir();
  const app = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(app, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(app, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(app, 'assets', 'a.wasm'), Buffer.from([0, 97, 115, 109]));
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');

  const index = await rendererFile(app, '/');
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-security-policy'), RENDERER_CSP);
  assert.match(await index.text(), /<title>t<\/title>/);

  const wasm = await rendererFile(app, '/assets/a.wasm');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');

  for (const evil of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt']) {
    const res = await rendererFile(app, evil);
    assert.notEqual(await res.text(), 'secret', evil);
  }
  assert.equal((await rendererFile(app, '/missing.js')).status, 404);
  assert.match(RENDERER_CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(RENDERER_CSP, /'unsafe-eval'|\*/, 'no eval, no wildcard source');
});
