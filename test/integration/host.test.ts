import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { startHost, type Host } from '../../electron/host/server';
import { writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { api, tempCore, tempDir, TEST_PASSWORD } from '../helpers';

const core = tempCore();
let host: Host;
let study: GeneratedStudy;

before(async () => {
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Noctis</title>');
  const source = tempDir();
  study = writeStudy(source, { patientName: 'HOST^TEST', patientId: 'H001', slicesPerSeries: 2 });
  await core.importFiles([source]);
  const facilityId = (await api(core, 'facilities.create', { name: 'Host' })).facilityId;
  await api(core, 'users.create', { username: 'hosttech', password: TEST_PASSWORD, role: 'technologist', facilityId, licenseNumber: 'L', mustChangePassword: false });
  host = await startHost({ core, rendererDir, port: 0 });
});
after(() => host.close());

function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${host.origin}${urlPath}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

test('listens on 127.0.0.1 only and prints a URL with its token', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
});

test('refuses every request without the token, or for another Host', async () => {
  const sop = study.instances[0].sopInstanceUid;
  for (const p of ['/', '/index.html', `/instances/${sop}`, '/?token=wrong']) {
    assert.equal((await get(p)).status, 401, p);
  }
  const rebinding = await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` });
  assert.equal(rebinding.status, 401, 'DNS rebinding: foreign Host header');
});

test('the token in the URL sets a cookie that later requests use', async () => {
  const first = await get(`/?token=${host.token}`);
  assert.equal(first.status, 200);
  assert.match(String(first.headers['content-security-policy']), /default-src 'self'/);
  const cookie = String(first.headers['set-cookie']).split(';')[0];
  assert.match(String(first.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  // The token opens the page; an image also needs the key of a signed-in session (below).
  assert.equal((await get(`/instances/${study.instances[1].sopInstanceUid}`, { cookie })).status, 404);
  assert.equal((await get('/instances/1.2.3', { authorization: `Bearer ${host.token}` })).status, 404);
});

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

test('the WebSocket API serves the handler table to the page, and pushes events', async () => {
  const ws = await connect({ cookie: `noctis_token=${host.token}`, origin: host.origin });
  const replies: Array<Record<string, unknown>> = [];
  ws.on('message', (m: Buffer) => replies.push(JSON.parse(m.toString('utf8')) as Record<string, unknown>));
  const waitFor = async (pred: (m: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 200 && !replies.some(pred); i++) await new Promise((r) => setTimeout(r, 10));
    return replies.find(pred);
  };

  ws.send(JSON.stringify({ id: 0, channel: 'studies.get', payload: { studyInstanceUid: study.studyInstanceUid } }));
  const anonymous = (await waitFor((m) => m.id === 0)) as { reply: { ok: boolean; error: { code: string } } };
  assert.equal(anonymous.reply.error.code, 'AUTH_REQUIRED', 'the socket must sign in first');
  ws.send(JSON.stringify({ id: 10, channel: 'auth.login', payload: { username: 'hosttech', password: TEST_PASSWORD } }));
  assert.equal(((await waitFor((m) => m.id === 10)) as { reply: { ok: boolean } }).reply.ok, true);

  ws.send(JSON.stringify({ id: 1, channel: 'studies.get', payload: { studyInstanceUid: study.studyInstanceUid } }));
  const reply = (await waitFor((m) => m.id === 1)) as { reply: { ok: boolean; result: { series: Array<{ instances: Array<{ url: string }> }> } } };
  assert.equal(reply.reply.ok, true);
  const url = reply.reply.result.series[0].instances[1].url;
  assert.match(url, new RegExp(`^${host.origin}/instances/${study.instances[1].sopInstanceUid.replace(/\./g, '\\.')}\\?k=[\\w-]{32}$`));

  // Bytes at that URL, whole and by range, for this session only.
  const cookie = `noctis_token=${host.token}`;
  const bytes = await get(url.slice(host.origin.length), { cookie });
  assert.equal(bytes.status, 200);
  assert.equal(bytes.headers['content-type'], 'application/dicom');
  assert.deepEqual(bytes.body, fs.readFileSync(study.instances[1].path));
  const ranged = await get(url.slice(host.origin.length), { cookie, range: 'bytes=128-131' });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.body.toString(), 'DICM');

  ws.send(JSON.stringify({ id: 2, channel: 'admin.shell', payload: {} }));
  const refused = (await waitFor((m) => m.id === 2)) as { reply: { ok: boolean; error: { code: string } } };
  assert.equal(refused.reply.error.code, 'UNKNOWN_CHANNEL');

  const more = writeStudy(tempDir(), { patientName: 'LIVE^TEST', patientId: 'H002', slicesPerSeries: 1 });
  await core.importFiles([more.instances[0].path]);
  const event = await waitFor((m) => m.event === 'studies.changed');
  assert.deepEqual(event, { event: 'studies.changed', data: { studyInstanceUids: [more.studyInstanceUid] } });
  ws.close();
  // Closing the socket (the tab) ends its session: the image URL stops working.
  for (let i = 0; i < 100 && (await get(url.slice(host.origin.length), { cookie })).status === 200; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal((await get(url.slice(host.origin.length), { cookie })).status, 404);
});

test('the WebSocket refuses connections without the token or from another origin', async () => {
  await assert.rejects(connect({ origin: host.origin }));
  await assert.rejects(connect({ cookie: `noctis_token=${host.token}`, origin: 'https://evil.example' }));
  await assert.rejects(connect({ cookie: `noctis_token=${host.token}` }));
});

test('a malformed message closes that socket only', async () => {
  const ws = await connect({ cookie: `noctis_token=${host.token}`, origin: host.origin });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send('{not json');
  assert.equal(await closed, 1003);
  const other = await connect({ cookie: `noctis_token=${host.token}`, origin: host.origin });
  other.close();
});
