// The main window's size and place, remembered between runs, with Electron's window and screen faked.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { createMainWindow, WINDOW_SIZE, windowOptions, type WindowConstructor } from '../../electron/shell/window';
import {
  loadWindowState,
  saveWindowState,
  trackWindowState,
  WINDOW_STATE_FILE,
  type Displays,
  type WindowState,
} from '../../electron/shell/windowState';
import { tempDir } from '../helpers';

const oneScreen: Displays = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] };
const twoScreens: Displays = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }, { workArea: { x: 1920, y: 0, width: 2560, height: 1400 } }],
};
const defaults: WindowState = { width: WINDOW_SIZE.width, height: WINDOW_SIZE.height, maximized: false, fullScreen: false };

function writeRaw(dataDir: string, text: string): void {
  fs.writeFileSync(path.join(dataDir, WINDOW_STATE_FILE), text);
}

/** A BrowserWindow with the parts the state and the window code use. */
class FakeWindow extends EventEmitter {
  static last: FakeWindow | undefined;
  readonly options: BrowserWindowConstructorOptions;
  bounds: Rectangle;
  maximized = false;
  fullScreen = false;
  destroyed = false;
  shown = false;
  webContents = Object.assign(new EventEmitter(), {
    setWindowOpenHandler: () => undefined,
    session: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined },
  });

  constructor(options: BrowserWindowConstructorOptions) {
    super();
    this.options = options;
    this.bounds = { x: options.x ?? 100, y: options.y ?? 80, width: options.width ?? 800, height: options.height ?? 600 };
    FakeWindow.last = this;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  isMaximized() {
    return this.maximized;
  }
  isFullScreen() {
    return this.fullScreen;
  }
  isDestroyed() {
    return this.destroyed;
  }
  maximize() {
    this.maximized = true;
  }
  setFullScreen(on: boolean) {
    this.fullScreen = on;
  }
  show() {
    this.shown = true;
  }
  loadURL() {
    return Promise.resolve();
  }
}

test('the window state round-trips through <dataDir>/window-state.json', () => {
  const dataDir = tempDir();
  const state: WindowState = { x: 200, y: 120, width: 1600, height: 1000, maximized: true, fullScreen: false };
  saveWindowState(dataDir, state);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')), state);
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), state);
});

test('a missing, corrupt or wrongly shaped file gives the defaults', () => {
  const dataDir = tempDir();
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), defaults, 'missing');
  for (const text of ['', '{"x": 10, "y":', 'null', '[1,2,3]', '"window"', '{"width": "wide", "height": 900}', '{}']) {
    writeRaw(dataDir, text);
    assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), defaults, JSON.stringify(text));
  }
  writeRaw(dataDir, '{"x": 10, "y": 10, "width": 1e999, "height": 900}');
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), { ...defaults, x: 10, y: 10 }, 'infinite width is rejected');
  // JSON cannot hold NaN or Infinity, but a state built in code could.
  saveWindowState(dataDir, { x: Number.NaN, y: 5, width: 1200, height: 800, maximized: false, fullScreen: false });
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), { ...defaults, width: 1200, height: 800 }, 'NaN position dropped');
  writeRaw(dataDir, '{"x": 10, "y": 10, "width": 1000, "height": 700, "maximized": "yes", "fullScreen": 1}');
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), { x: 10, y: 10, width: 1000, height: 700, maximized: false, fullScreen: false });
});

test('the saved size is never below the window\'s minimum', () => {
  const dataDir = tempDir();
  saveWindowState(dataDir, { x: 0, y: 0, width: 20, height: -5, maximized: false, fullScreen: false });
  const state = loadWindowState(dataDir, WINDOW_SIZE, oneScreen);
  assert.equal(state.width, WINDOW_SIZE.minWidth);
  assert.equal(state.height, WINDOW_SIZE.minHeight);
});

test('a position on no current display is dropped so the window opens centred', () => {
  const dataDir = tempDir();
  const onSecond: WindowState = { x: 2200, y: 100, width: 1400, height: 900, maximized: false, fullScreen: false };
  saveWindowState(dataDir, onSecond);
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, twoScreens), onSecond, 'the second screen is still there');
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), { width: 1400, height: 900, maximized: false, fullScreen: false }, 'unplugged');

  saveWindowState(dataDir, { ...onSecond, x: -5000, y: -5000 });
  assert.equal(loadWindowState(dataDir, WINDOW_SIZE, twoScreens).x, undefined, 'far off every screen');
  saveWindowState(dataDir, { ...onSecond, x: 1900, y: 100 });
  assert.equal(loadWindowState(dataDir, WINDOW_SIZE, oneScreen).x, undefined, 'only a 20 px sliver visible');
  saveWindowState(dataDir, { ...onSecond, x: -200, y: 40 });
  assert.equal(loadWindowState(dataDir, WINDOW_SIZE, oneScreen).x, -200, 'partly off the left edge is fine');
  assert.equal(loadWindowState(dataDir, WINDOW_SIZE, { getAllDisplays: () => [] }).x, undefined, 'no displays at all');
});

test('saving is atomic: the file is replaced whole and no temporary file is left', () => {
  const dataDir = tempDir();
  saveWindowState(dataDir, { ...defaults, x: 1, y: 2 });
  saveWindowState(dataDir, { ...defaults, x: 3, y: 4 });
  assert.deepEqual(fs.readdirSync(dataDir), [WINDOW_STATE_FILE]);
  assert.equal(loadWindowState(dataDir, WINDOW_SIZE, oneScreen).x, 3);

  // The target cannot be replaced (a folder is in the way): the save fails, the tmp file goes.
  const blocked = tempDir();
  fs.mkdirSync(path.join(blocked, WINDOW_STATE_FILE));
  fs.writeFileSync(path.join(blocked, WINDOW_STATE_FILE, 'x'), '');
  assert.throws(() => saveWindowState(blocked, defaults));
  assert.deepEqual(fs.readdirSync(blocked), [WINDOW_STATE_FILE]);
});

test('the state is saved on close, and shortly after a move or resize', async () => {
  const dataDir = tempDir();
  const win = new FakeWindow({ x: 10, y: 20, width: 1000, height: 700 });
  trackWindowState(win as never, dataDir, { debounceMs: 20 });
  const file = path.join(dataDir, WINDOW_STATE_FILE);

  win.bounds = { x: 50, y: 60, width: 1100, height: 750 };
  win.emit('move');
  win.emit('resize');
  assert.equal(fs.existsSync(file), false, 'debounced, not written on every event');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { x: 50, y: 60, width: 1100, height: 750, maximized: false, fullScreen: false });

  win.maximized = true;
  win.emit('close');
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { x: 50, y: 60, width: 1100, height: 750, maximized: true, fullScreen: false });

  // A resize whose timer fires after the window is gone writes nothing.
  win.emit('resize');
  win.destroyed = true;
  win.bounds = { x: 0, y: 0, width: 999, height: 999 };
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as WindowState).width, 1100);
});

test('a failed save is reported, not thrown at the window', () => {
  const dataDir = tempDir();
  fs.mkdirSync(path.join(dataDir, WINDOW_STATE_FILE));
  fs.writeFileSync(path.join(dataDir, WINDOW_STATE_FILE, 'x'), '');
  const errors: unknown[] = [];
  const win = new FakeWindow({});
  trackWindowState(win as never, dataDir, { onError: (err) => errors.push(err) });
  assert.doesNotThrow(() => win.emit('close'));
  assert.equal(errors.length, 1);
});

test('createMainWindow opens where the window was, maximized again, with the same security settings', () => {
  const dataDir = tempDir();
  saveWindowState(dataDir, { x: 300, y: 200, width: 1200, height: 800, maximized: true, fullScreen: true });
  const win = createMainWindow(FakeWindow as unknown as WindowConstructor, '/p.js', { dataDir, displays: oneScreen });
  const fake = FakeWindow.last!;
  assert.equal(win, fake);
  const { x, y, width, height, webPreferences, minWidth, minHeight } = fake.options;
  assert.deepEqual({ x, y, width, height }, { x: 300, y: 200, width: 1200, height: 800 });
  assert.deepEqual(webPreferences, windowOptions('/p.js').webPreferences, 'webPreferences untouched');
  assert.deepEqual({ minWidth, minHeight }, { minWidth: WINDOW_SIZE.minWidth, minHeight: WINDOW_SIZE.minHeight });
  assert.equal(fake.maximized, false, 'maximized when ready to show, not before');
  fake.emit('ready-to-show');
  assert.equal(fake.maximized, true);
  assert.equal(fake.fullScreen, true);
  assert.equal(fake.shown, true);

  fake.maximized = false;
  fake.fullScreen = false;
  fake.bounds = { x: 400, y: 300, width: 1300, height: 850 };
  fake.emit('close');
  assert.deepEqual(loadWindowState(dataDir, WINDOW_SIZE, oneScreen), { x: 400, y: 300, width: 1300, height: 850, maximized: false, fullScreen: false });
});

test('createMainWindow without a usable position passes none, so Electron centres the window', () => {
  const dataDir = tempDir();
  saveWindowState(dataDir, { x: 9000, y: 9000, width: 1000, height: 700, maximized: false, fullScreen: false });
  createMainWindow(FakeWindow as unknown as WindowConstructor, '/p.js', { dataDir, displays: oneScreen });
  const { options } = FakeWindow.last!;
  assert.equal('x' in options, false);
  assert.equal('y' in options, false);
  assert.deepEqual({ width: options.width, height: options.height }, { width: 1000, height: 700 });
  FakeWindow.last!.emit('ready-to-show');
  assert.equal(FakeWindow.last!.maximized, false);

  createMainWindow(FakeWindow as unknown as WindowConstructor, '/p.js', { dataDir: tempDir(), displays: oneScreen });
  assert.deepEqual(
    { width: FakeWindow.last!.options.width, height: FakeWindow.last!.options.height },
    { width: WINDOW_SIZE.width, height: WINDOW_SIZE.height },
    'first run: the default size',
  );
});
