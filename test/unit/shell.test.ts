// The Electron shell with Electron's modules faked: IPC routes into the core's handler table,
// foreign frames and unknown channels are refused, the window keeps its isolation.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, test } from 'node:test';
import type { BrowserWindowConstructorOptions } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type NoctisApi, type Reply, type StudyDetail, type StudySearchResult } from '../../shared/api';
import { bindIpc, forwardEvents } from '../../electron/shell/ipc';
import { createProtocolHandler } from '../../electron/shell/protocol';
import { createMainWindow, hardenAllWebContents, hardenWebContents, windowOptions, type WindowConstructor } from '../../electron/shell/window';
import { writeStudy, type GeneratedStudy } from '../fixtures/generate';
import { api, tempCore, tempDir, TEST_PASSWORD } from '../helpers';

type InvokeHandler = (event: { senderFrame: { url: string; parent: unknown } | null; sender: unknown }, ...args: unknown[]) => Promise<Reply<unknown>>;

/** A window's web contents as IPC sees it: each one has its own session. */
function fakeWindowContents() {
  return Object.assign(new EventEmitter(), { send: () => undefined, isDestroyed: () => false });
}

const core = tempCore();
let study: GeneratedStudy;
const handlers = new Map<string, InvokeHandler>();
const appFrame = { url: 'noctis://app/index.html', parent: null };
const openedFolders: string[] = [];
/** Signed in as a technologist (studies, import) and as an admin (logs). */
const techWindow = fakeWindowContents();
const adminWindow = fakeWindowContents();
const invokeAs = (sender: unknown, frame: { url: string; parent: unknown } | null, channel: unknown, payload: unknown) =>
  handlers.get(IPC_INVOKE)!({ senderFrame: frame, sender }, channel, payload);

before(async () => {
  const source = tempDir();
  study = writeStudy(source, { patientName: 'SHELL^TEST', patientId: 'SH001', slicesPerSeries: 2 });
  await core.importFiles([source]);
  bindIpc({ handle: (channel: string, fn: InvokeHandler) => void handlers.set(channel, fn) } as never, core.dispatch, core.log, {
    pickPaths: (kind) => Promise.resolve(kind === 'folder' ? ['/media/cdrom'] : ['/a.dcm', '/b.dcm']),
    openFolder: (dir) => {
      openedFolders.push(dir);
      return Promise.resolve();
    },
  });
  await signInOver(techWindow, 'technologist');
  await signInOver(adminWindow, 'admin');
});

async function signInOver(sender: unknown, role: 'technologist' | 'admin'): Promise<void> {
  const username = `shell-${role}`;
  const facilityId = role === 'admin' ? undefined : (await api(core, 'facilities.create', { name: 'Shell' })).facilityId;
  await api(core, 'users.create', { username, password: TEST_PASSWORD, role, facilityId, licenseNumber: 'L', mustChangePassword: false });
  const reply = await invokeAs(sender, appFrame, 'auth.login', { username, password: TEST_PASSWORD });
  assert.ok(reply.ok, JSON.stringify(reply));
}

test('the window keeps context isolation and the sandbox, with no Node in the page', () => {
  const { webPreferences } = windowOptions('/app/preload.js');
  assert.equal(webPreferences?.contextIsolation, true);
  assert.equal(webPreferences?.sandbox, true);
  assert.equal(webPreferences?.nodeIntegration, false);
  assert.equal(webPreferences?.nodeIntegrationInWorker, false);
  assert.equal(webPreferences?.webSecurity, true);
  assert.equal(webPreferences?.webviewTag, false);
  assert.equal(webPreferences?.allowRunningInsecureContent, false);
  assert.equal(webPreferences?.preload, '/app/preload.js');
});

/** A WebContents with the parts the hardening touches, recording what was installed. */
function fakeContents() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | (() => { action: string }),
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((wc: unknown, p: string) => boolean),
    setWindowOpenHandler(fn: () => { action: string }) {
      contents.openHandler = fn;
    },
    session: {
      setPermissionRequestHandler: (fn: (wc: unknown, p: string, cb: (ok: boolean) => void) => void) => {
        contents.permissionRequest = fn;
      },
      setPermissionCheckHandler: (fn: (wc: unknown, p: string) => boolean) => {
        contents.permissionCheck = fn;
      },
    },
  });
  return contents;
}

/** Emits a cancellable event and says whether a listener prevented it. */
function prevented(contents: EventEmitter, event: string, ...args: unknown[]): boolean {
  let stopped = false;
  contents.emit(event, { preventDefault: () => (stopped = true) }, ...args);
  return stopped;
}

function assertHardened(contents: ReturnType<typeof fakeContents>): void {
  assert.deepEqual(contents.openHandler?.(), { action: 'deny' }, 'window.open is denied');
  for (const event of ['will-navigate', 'will-redirect']) {
    assert.equal(prevented(contents, event, 'https://example.com/'), true, `${event} to the web`);
    assert.equal(prevented(contents, event, 'file:///etc/passwd'), true, `${event} to a file`);
    assert.equal(prevented(contents, event, 'noctis://app.evil/index.html'), true, `${event} to another host`);
    assert.equal(prevented(contents, event, 'noctis://app/index.html'), false, `${event} inside the app`);
  }
  assert.equal(prevented(contents, 'will-attach-webview', {}, {}), true, 'no <webview>');
  let granted: boolean | undefined;
  contents.permissionRequest?.({}, 'media', (ok) => (granted = ok));
  assert.equal(granted, false, 'permission requests are denied');
  for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
    assert.equal(contents.permissionCheck?.({}, permission), false, `permission check for ${permission} is denied`);
  }
}

test('the window loads the app scheme, blocks navigation and redirects, new windows, webviews and permissions', () => {
  const contents = fakeContents();
  let options: BrowserWindowConstructorOptions | undefined;
  let loaded = '';
  class FakeWindow extends EventEmitter {
    webContents = contents;
    constructor(o: BrowserWindowConstructorOptions) {
      super();
      options = o;
    }
    loadURL(url: string) {
      loaded = url;
      return Promise.resolve();
    }
    show() {}
  }
  createMainWindow(FakeWindow as unknown as WindowConstructor, '/p.js');
  assert.equal(options?.webPreferences?.sandbox, true);
  assert.equal(loaded, 'noctis://app/index.html');
  assertHardened(contents);
});

test('every web contents the app creates is hardened, once', () => {
  const app = new EventEmitter();
  hardenAllWebContents(app as never);
  const contents = fakeContents();
  app.emit('web-contents-created', {}, contents);
  assertHardened(contents);
  const listeners = contents.listenerCount('will-navigate');
  hardenWebContents(contents as never);
  app.emit('web-contents-created', {}, contents);
  assert.equal(contents.listenerCount('will-navigate'), listeners, 'hardening twice adds nothing');
  const other = fakeContents();
  app.emit('web-contents-created', {}, other);
  assertHardened(other);
});

test('IPC routes into the same handler table as every other transport', async () => {
  assert.deepEqual([...handlers.keys()], [IPC_INVOKE], 'one invoke channel, nothing else');
  const reply = await invokeAs(techWindow, appFrame, 'studies.search', {});
  assert.ok(reply.ok);
  const direct = await core.dispatch('studies.search', {}, { instanceUrl: (uid) => uid, local: { user: 'cli:test' } });
  assert.deepEqual(reply, direct);
  assert.deepEqual(
    (reply.result as StudySearchResult).studies.map((s) => s.studyInstanceUid),
    [study.studyInstanceUid],
  );

  const detail = await invokeAs(techWindow, appFrame, 'studies.get', { studyInstanceUid: study.studyInstanceUid });
  assert.ok(detail.ok);
  assert.match(JSON.stringify(detail.result), /"url":"noctis:\/\/app\/instances\/2\.25\.\d+\?k=[\w-]+"/);
  // Each window has its own session: another window is not signed in.
  const other = await invokeAs(fakeWindowContents(), appFrame, 'studies.search', {});
  assert.equal(other.ok ? '' : other.error.code, 'AUTH_REQUIRED');
});

test('in Electron the native open dialog and the file manager are capabilities the window can use', async () => {
  const caps = await invokeAs(techWindow, appFrame, 'app.capabilities', {});
  assert.deepEqual(caps, { ok: true, result: { pickPaths: true, openFolder: true } });
  assert.deepEqual(await invokeAs(techWindow, appFrame, 'import.pickPaths', { kind: 'files' }), { ok: true, result: { paths: ['/a.dcm', '/b.dcm'] } });
});

test('without native capabilities, the handlers report none', async () => {
  let bare: InvokeHandler | undefined;
  bindIpc({ handle: (_channel: string, fn: InvokeHandler) => void (bare = fn) } as never, core.dispatch, core.log);
  assert.deepEqual(await bare!({ senderFrame: appFrame, sender: techWindow }, 'app.capabilities', {}), { ok: true, result: { pickPaths: false, openFolder: false } });
});

test('logs.openFolder opens the core\'s logs folder through the shell', async () => {
  const reply = await invokeAs(adminWindow, appFrame, 'logs.openFolder', {});
  assert.deepEqual(reply, { ok: true, result: { opened: true } });
  assert.deepEqual(openedFolders, [core.paths.logsDir]);
});

test('IPC rejects unknown channels, bad payloads, foreign origins and sub-frames', async () => {
  const codeOf = async (frame: { url: string; parent: unknown } | null, channel: unknown, payload: unknown) => {
    const reply = await invokeAs(techWindow, frame, channel, payload);
    assert.equal(reply.ok, false);
    return reply.ok ? '' : reply.error.code;
  };
  assert.equal(await codeOf(appFrame, 'fs.readFile', { path: '/etc/passwd' }), 'UNKNOWN_CHANNEL');
  assert.equal(await codeOf(appFrame, '__proto__', {}), 'UNKNOWN_CHANNEL');
  assert.equal(await codeOf(appFrame, 'studies.get', { studyInstanceUid: '../../etc' }), 'VALIDATION_FAILED');
  assert.equal(await codeOf(appFrame, 'studies.search', { query: 'x', extra: true }), 'VALIDATION_FAILED');
  assert.equal(await codeOf({ url: 'https://evil.example/', parent: null }, 'studies.search', {}), 'UNAUTHORIZED');
  assert.equal(await codeOf({ url: 'noctis://app/index.html', parent: {} }, 'studies.search', {}), 'UNAUTHORIZED');
  assert.equal(await codeOf({ url: 'file:///index.html', parent: null }, 'studies.search', {}), 'UNAUTHORIZED');
  assert.equal(await codeOf(null, 'studies.search', {}), 'UNAUTHORIZED');
});

test('the preload exposes window.noctis that reaches the core through IPC', async () => {
  // Fake the 'electron' module for the preload: contextBridge captures the API, ipcRenderer
  // forwards to the ipcMain handler bound above, as Electron would.
  const renderer = new EventEmitter();
  let exposed: { key: string; api: NoctisApi } | undefined;
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: NoctisApi) => (exposed = { key, api }) },
    webUtils: { getPathForFile: (file: { fakePath: string }) => file.fakePath },
    ipcRenderer: Object.assign(renderer, {
      invoke: (channel: string, ...args: unknown[]) => handlers.get(channel)!({ senderFrame: appFrame, sender: techWindow }, ...args),
    }),
  };
  const localRequire = createRequire(__filename);
  const electronPath = localRequire.resolve('electron');
  localRequire.cache[electronPath] = { exports: fakeElectron } as NodeJS.Module;
  try {
    localRequire('../../electron/shell/preload');
  } finally {
    delete localRequire.cache[electronPath];
  }
  assert.ok(exposed);
  assert.equal(exposed.key, 'noctis');
  const api = exposed.api;
  assert.equal(api.pathForFile?.({ fakePath: '/home/tech/IMG1.dcm' }), '/home/tech/IMG1.dcm', 'dropped files keep their paths');
  const result = await api.invoke('studies.search', { query: 'SHELL' });
  assert.equal(result.total, 1);
  await assert.rejects(api.invoke('studies.get', { studyInstanceUid: '1.2.3' }), (e: unknown) => {
    assert.equal((e as { code: string }).code, 'STUDY_NOT_FOUND');
    assert.ok((e as { errorId: string }).errorId);
    return true;
  });

  const seen: unknown[] = [];
  const off = api.on('studies.changed', (data) => seen.push(data));
  renderer.emit(IPC_EVENT, {}, 'studies.changed', { studyInstanceUids: ['1.2'] });
  off();
  renderer.emit(IPC_EVENT, {}, 'studies.changed', { studyInstanceUids: ['3.4'] });
  assert.deepEqual(seen, [{ studyInstanceUids: ['1.2'] }]);
});

test('core events reach the window until it is destroyed, which ends its session', async () => {
  const sent: unknown[][] = [];
  const contents = Object.assign(new EventEmitter(), {
    send: (...args: unknown[]) => void sent.push(args),
    isDestroyed: () => false,
  });
  forwardEvents(core, contents as never);
  await core.importFiles([writeStudy(tempDir(), { patientName: 'UNSEEN^TEST', patientId: 'EV000' }).instances[0].path]);
  assert.deepEqual(sent, [], 'nothing before anyone signed in to the window');
  const username = 'shell-events';
  await api(core, 'users.create', { username, password: TEST_PASSWORD, role: 'technologist', facilityId: 1, licenseNumber: 'L', mustChangePassword: false });
  assert.ok((await invokeAs(contents, appFrame, 'auth.login', { username, password: TEST_PASSWORD })).ok);
  const source = tempDir();
  const more = writeStudy(source, { patientName: 'EVENT^TEST', patientId: 'EV001', slicesPerSeries: 1 });
  await core.importFiles([source]);
  assert.deepEqual(
    sent.filter((args) => args[1] === 'studies.changed'),
    [[IPC_EVENT, 'studies.changed', { studyInstanceUids: [more.studyInstanceUid] }]],
  );
  const finished = sent.find((args) => args[1] === 'import.finished');
  assert.equal((finished?.[2] as { imported: number } | undefined)?.imported, 1);
  const count = sent.length;
  contents.emit('destroyed');
  await core.importFiles([writeStudy(tempDir(), { patientName: 'LATE^TEST', patientId: 'EV002' }).instances[0].path]);
  assert.equal(sent.length, count, 'no sends after the window is gone');
  const after = await invokeAs(contents, appFrame, 'studies.search', {});
  assert.equal(after.ok ? '' : after.error.code, 'AUTH_REQUIRED', 'its session ended with it');
});

test('noctis:// streams instance bytes with Content-Length and Range, and the renderer files', async () => {
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  const handle = createProtocolHandler(core, rendererDir);
  const instance = study.instances[0];
  const original = fs.readFileSync(instance.path);
  const detail = await invokeAs(techWindow, appFrame, 'studies.get', { studyInstanceUid: study.studyInstanceUid });
  assert.ok(detail.ok);
  const url = (detail.result as StudyDetail).series[0].instances.find((i) => i.sopInstanceUid === instance.sopInstanceUid)?.url ?? '';

  assert.equal((await handle(new Request(`noctis://app/instances/${instance.sopInstanceUid}`))).status, 404, 'not without a session key');
  const whole = await handle(new Request(url));
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-length'), String(original.length));
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), original, 'byte-identical to the imported file');

  const part = await handle(new Request(url, { headers: { range: 'bytes=128-131' } }));
  assert.equal(part.status, 206);
  assert.equal(await part.text(), 'DICM');

  assert.equal((await handle(new Request('noctis://app/instances/9.9.9'))).status, 404);
  assert.equal((await handle(new Request('noctis://elsewhere/index.html'))).status, 404);
  const page = await handle(new Request('noctis://app/index.html'));
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
});
