// The DICOM network node end to end in Chromium against `noctis serve`: an admin turns the
// receiver on and adds a node that passes its C-ECHO test; a modality (storescu) sends a study that
// appears live with a notice; a technologist sends it on to another Noctis (`noctis scp`).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ReceiverStatus } from '../../shared/network';
import { writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';
import { dcmtk } from '../network';
import { addUser, signIn } from './accounts';
import { launchChromium } from './browser';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
const processes: ChildProcess[] = [];
let browser: Browser;
let admin: Page;
let tech: Page;
let receiverPort: number;
let archivePort: number;
let archiveDir: string;
let study: GeneratedStudy;

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

before(async () => {
  const dataDir = path.join(tempDir(), 'store');
  addUser(dataDir, 'netadmin', { role: 'admin' });
  addUser(dataDir, 'nettech', { role: 'technologist' });
  // Tests listen on loopback only; a site's receiver listens on every interface (the default).
  spawnSync(process.execPath, [BIN, 'settings', '--data-dir', dataDir, '--set', 'scpBindAddress=127.0.0.1']);
  archiveDir = path.join(tempDir(), 'archive');
  const archive = spawn(process.execPath, [BIN, 'scp', '--data-dir', archiveDir, '--port', '0', '--host', '127.0.0.1', '--aet', 'ARCHIVE', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  processes.push(archive);
  archivePort = (JSON.parse(await firstLine(archive)) as ReceiverStatus).port;
  const server = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  processes.push(server);
  const url = await firstLine(server);
  receiverPort = await freePort();
  browser = await launchChromium();
  admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await admin.goto(url);
  await signIn(admin, 'netadmin');
  tech = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tech.goto(url);
  await signIn(tech, 'nettech');
});

after(async () => {
  await browser?.close();
  for (const child of processes) child.kill('SIGTERM');
});

test('an admin turns the receiver on and adds a DICOM node that passes its C-ECHO test', async () => {
  await admin.getByTestId('settings-open').click();
  const network = admin.getByTestId('settings-network');
  await network.waitFor();
  await network.locator('[data-testid="scp-status"][data-state="off"]').waitFor();
  await network.getByTestId('scp-enabled').check();
  await network.getByTestId('scp-port').fill(String(receiverPort));
  await network.getByTestId('scp-aet').fill('NOCTIS_E2E');
  await network.getByTestId('scp-save').click();
  await network.locator('[data-testid="scp-status"][data-state="listening"]').waitFor();
  assert.match((await network.getByTestId('scp-status').textContent()) ?? '', new RegExp(`NOCTIS_E2E on port ${receiverPort}.*any calling AE may store`));

  await network.getByTestId('node-aet').fill('ARCHIVE');
  await network.getByTestId('node-host').fill('127.0.0.1');
  await network.getByTestId('node-port').fill(String(archivePort));
  await network.getByTestId('node-description').fill('second workstation');
  await network.getByTestId('node-add').click();
  const row = network.locator('[data-testid="node-row"][data-aet="ARCHIVE"]');
  await row.waitFor();
  await row.getByTestId('node-echo').click();
  await row.locator('[data-testid="node-echo-result"][data-ok="true"]').waitFor();
  assert.match((await row.getByTestId('node-echo-result').textContent()) ?? '', /^OK, [\d.]+ ms$/);
});

test('a study sent by a modality appears in the list at once, with a notice naming the sender', async () => {
  const source = tempDir();
  study = writeStudy(source, { patientName: 'NETWORK^ARRIVAL', patientId: 'NW1', seriesCount: 2, slicesPerSeries: 3 });
  const sent = await dcmtk('storescu', ['-aet', 'CT_E2E', '-aec', 'NOCTIS_E2E', '+sd', '+r', '127.0.0.1', String(receiverPort), source]);
  assert.equal(sent.code, 0, sent.stderr);
  await tech.locator(`[data-testid="study-row"][data-study-uid="${study.studyInstanceUid}"]`).waitFor();
  const notice = tech.locator('[data-testid="received-notice"][data-aet="CT_E2E"]');
  await notice.waitFor();
  assert.match((await notice.textContent()) ?? '', /Received 6 images from CT_E2E.*NETWORK, ARRIVAL/);
});

test('a technologist sends the open study to the node and follows it to the end', async () => {
  await tech.locator(`[data-testid="study-row"][data-study-uid="${study.studyInstanceUid}"]`).click();
  await tech.getByTestId('send-open').click();
  await tech.getByTestId('send-panel').waitFor();
  assert.match((await tech.getByTestId('send-node').textContent()) ?? '', /ARCHIVE — 127\.0\.0\.1/);
  await tech.getByTestId('send-start').click();
  const progress = tech.locator('[data-testid="send-progress"][data-state="completed"]');
  await progress.waitFor({ timeout: 30_000 });
  assert.equal(await progress.getAttribute('data-done'), '6');
  assert.equal(await progress.getAttribute('data-total'), '6');
  await tech.locator('[data-testid="send-result"][data-status="completed"]').waitFor();
  const listed = spawnSync(process.execPath, [BIN, 'instances', '--data-dir', archiveDir, '--json'], { encoding: 'utf8' });
  const arrived = (JSON.parse(listed.stdout) as Array<{ studyInstanceUid: string }>).filter((i) => i.studyInstanceUid === study.studyInstanceUid);
  assert.equal(arrived.length, 6, 'every instance reached the other workstation');
});
