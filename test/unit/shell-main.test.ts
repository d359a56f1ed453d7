// main.ts itself, with the whole 'electron' module faked: it wires the core, IPC (with the native
// capabilities), the menu, the remembered window, the hardening and the error handlers together.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type Reply } from '../../shared/api';
import { WINDOW_STATE_FILE } from '../../electron/shell/windowState';
import { tempDir } from '../helpers';

type Invoke = (event: { senderFrame: { url: string; parent: null }; sender: unknown }, channel: unknown, payload: unknown) => Promise<Reply<unknown>>;

const dataDir = path.join(tempDir(), 'data');
const appFrame = { url: 'noctis://app/index.html', parent: null };
const calls = {
  opened: [] as string[],
  openPathResult: '',
  errorBoxes: [] as string[],
  messageBoxes: [] as unknown[],
  menu: undefined as MenuItemConstructorOptions[] | undefined,
  invoke: undefined as Invoke | undefined,
  schemes: [] as string[],
  userData: '',
};
const windows: FakeWindow[] = [];
let ready!: () => void;
const whenReady = new Promise<void>((resolve) => (ready = resolve));

function fakeContents() {
  return Object.assign(new EventEmitter(), {
    sent: [] as unknown[][],
    send(...args: unknown[]) {
      this.sent.push(args);
    },
    isDestroyed: () => false,
    getURL: () => 'noctis://app/index.html',
    setWindowOpenHandler: () => undefined,
    session: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined },
  });
}

class FakeWindow extends EventEmitter {
  webContents = fakeContents();
  options: BrowserWindowConstructorOptions;
  constructor(options: BrowserWindowConstructorOptions) {
    super();
    this.options = options;
    windows.push(this);
  }
  loadURL() {
    return Promise.resolve();
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  isMaximized = () => false;
  isFullScreen = () => false;
  isDestroyed = () => false;
  isMinimized = () => false;
  show() {}
  focus() {}
}

const app = Object.assign(new EventEmitter(), {
  // Packaged: no log lines on stderr, no developer tools in the menu.
  isPackaged: true,
  isReady: () => true,
  whenReady: () => whenReady,
  requestSingleInstanceLock: () => true,
  setPath: (name: string, value: string) => {
    if (name === 'userData') calls.userData = value;
  },
  getVersion: () => '0.1.0',
  getName: () => 'Noctis',
  quit: () => undefined,
});

const fakeElectron = {
  app,
  BrowserWindow: FakeWindow,
  dialog: {
    showErrorBox: (_title: string, content: string) => void calls.errorBoxes.push(content),
    showMessageBox: (...args: unknown[]) => {
      calls.messageBoxes.push(args.at(-1));
      return Promise.resolve({ response: 0 });
    },
    showOpenDialog: () => Promise.resolve({ canceled: false, filePaths: ['/media/cdrom'] }),
  },
  ipcMain: { handle: (channel: string, fn: Invoke) => void (channel === IPC_INVOKE && (calls.invoke = fn)) },
  Menu: {
    buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
    setApplicationMenu: (menu: MenuItemConstructorOptions[]) => void (calls.menu = menu),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: Array<{ scheme: string }>) => void calls.schemes.push(...schemes.map((s) => s.scheme)),
    handle: () => undefined,
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  Notification: class {
    static isSupported = () => true;
    show() {}
  },
  shell: {
    openPath: (dir: string) => {
      calls.opened.push(dir);
      return Promise.resolve(calls.openPathResult);
    },
  },
};

const processEvents = ['uncaughtException', 'unhandledRejection'] as const;
type Listener = (...args: unknown[]) => void;
const emitter: EventEmitter = process;
const listenersOf = (event: string) => emitter.listeners(event) as Listener[];
let listenersBefore = new Map<string, Listener[]>();
const added = (event: string) => listenersOf(event).filter((fn) => !listenersBefore.get(event)!.includes(fn));

before(async () => {
  process.env.NOCTIS_DATA_DIR = dataDir;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, WINDOW_STATE_FILE), JSON.stringify({ x: 40, y: 50, width: 1200, height: 800, maximized: false, fullScreen: false }));
  listenersBefore = new Map(processEvents.map((e) => [e, listenersOf(e)]));
  const localRequire = createRequire(__filename);
  const electronPath = localRequire.resolve('electron');
  localRequire.cache[electronPath] = { exports: fakeElectron } as NodeJS.Module;
  try {
    localRequire('../../electron/shell/main');
  } finally {
    delete localRequire.cache[electronPath];
  }
  ready();
  await whenReady;
  await new Promise((resolve) => setImmediate(resolve));
});

after(() => {
  // The handlers main.ts put on this very process must not outlive the test.
  for (const event of processEvents) for (const fn of added(event)) emitter.removeListener(event, fn);
  app.emit('will-quit');
  delete process.env.NOCTIS_DATA_DIR;
});

function logLines(): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(dataDir, 'logs', 'noctis.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function menuItem(id: string): MenuItemConstructorOptions {
  const all = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? all(item.submenu) : [])]);
  const found = all(calls.menu ?? []).find((item) => item.id === id);
  assert.ok(found, id);
  return found;
}

test('main.ts uses NOCTIS_DATA_DIR as userData, registers the scheme and logs shell.started', () => {
  assert.equal(calls.userData, dataDir);
  assert.deepEqual(calls.schemes, ['noctis']);
  const started = logLines().find((line) => line.message === 'shell.started');
  assert.ok(started);
  assert.equal(started.version, '0.1.0');
  assert.equal(started.node, process.versions.node);
});

test('the main window opens where it was left, and every web contents is hardened', () => {
  assert.equal(windows.length, 1);
  const { x, y, width, height, webPreferences } = windows[0].options;
  assert.deepEqual({ x, y, width, height }, { x: 40, y: 50, width: 1200, height: 800 });
  assert.equal(webPreferences?.sandbox, true);
  assert.equal(app.listenerCount('web-contents-created'), 1);
  windows[0].emit('close');
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')), {
    x: 10,
    y: 20,
    width: 1000,
    height: 700,
    maximized: false,
    fullScreen: false,
  });
});

test('IPC has the open dialog and the file manager: logs.openFolder opens the logs folder', async () => {
  // The window's first run: it creates the admin (logs), who creates a technologist (imports) for a second window.
  const adminWindow = windows[0].webContents;
  const techWindow = fakeContents();
  const invokeAs = (sender: unknown) => (channel: string, payload: unknown) => calls.invoke!({ senderFrame: appFrame, sender }, channel, payload);
  const admin = invokeAs(adminWindow);
  const tech = invokeAs(techWindow);
  const setup = await admin('auth.setup', { username: 'admin', password: 'the first passphrase here' });
  assert.equal(setup.ok, true, JSON.stringify(setup));
  const facility = (await admin('facilities.create', { name: 'Main' })) as { ok: true; result: { facilityId: number } };
  const created = await admin('users.create', { username: 'carla', password: 'a technologist pass', role: 'technologist', facilityId: facility.result.facilityId, licenseNumber: 'T1', mustChangePassword: false });
  assert.equal(created.ok, true, JSON.stringify(created));
  assert.equal((await tech('auth.login', { username: 'carla', password: 'a technologist pass' })).ok, true);

  assert.deepEqual(await tech('app.capabilities', {}), { ok: true, result: { pickPaths: true, openFolder: true } });
  assert.deepEqual(await tech('import.pickPaths', { kind: 'folder' }), { ok: true, result: { paths: ['/media/cdrom'] } });
  calls.opened.length = 0;
  assert.deepEqual(await admin('logs.openFolder', {}), { ok: true, result: { opened: true } });
  assert.deepEqual(calls.opened, [path.join(dataDir, 'logs')]);

  // shell.openPath resolves with a message when it fails: that becomes an error reply.
  calls.openPathResult = 'No application is registered';
  const failed = await admin('logs.openFolder', {});
  calls.openPathResult = '';
  assert.equal(failed.ok, false);
});

test('the menu sends commands to the window, opens the logs folder and shows About', async () => {
  const contents = windows[0].webContents;
  contents.sent.length = 0;
  (menuItem('import.folder').click as () => void)();
  (menuItem('settings').click as () => void)();
  assert.deepEqual(contents.sent, [
    [IPC_EVENT, 'app.command', { command: 'import.folder' }],
    [IPC_EVENT, 'app.command', { command: 'settings' }],
  ]);
  calls.opened.length = 0;
  (menuItem('logs.openFolder').click as () => void)();
  assert.deepEqual(calls.opened, [path.join(dataDir, 'logs')]);
  (menuItem('about').click as () => void)();
  await new Promise((resolve) => setImmediate(resolve));
  assert.match(JSON.stringify(calls.messageBoxes.at(-1)), /Noctis 0\.1\.0/);
  assert.ok(
    !(calls.menu ?? []).some((menu) => Array.isArray(menu.submenu) && menu.submenu.some((item) => item.role === 'toggleDevTools')),
    'packaged: no developer tools',
  );
});

test('an uncaught exception in main is logged with an errorId and shown in an error box', () => {
  const [onUncaught] = added('uncaughtException');
  assert.ok(onUncaught, 'main.ts listens for uncaught exceptions');
  assert.equal(added('unhandledRejection').length, 1);
  // Called directly: emitting on the real process would reach the test runner's own handler.
  onUncaught(new Error('boom in main'));
  const line = logLines().find((l) => l.message === 'shell.uncaught' && l.kind === 'uncaughtException');
  assert.ok(line);
  assert.equal(typeof line.errorId, 'string');
  assert.match(calls.errorBoxes.at(-1) ?? '', new RegExp(String(line.errorId)));

  app.emit('render-process-gone', {}, windows[0].webContents, { reason: 'crashed', exitCode: 1 });
  assert.ok(logLines().some((l) => l.message === 'shell.render_process_gone' && l.reason === 'crashed' && typeof l.errorId === 'string'));
});
