// The main window and its hardening. Electron objects come in as arguments so that tests can
// pass fakes; only main.ts imports 'electron' itself.
import type { App, BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { APP_ORIGIN } from './protocol';
import { loadWindowState, trackWindowState, type Displays, type WindowSize, type WindowState } from './windowState';

export type WindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** The first run's size, and the smallest the window may be. */
export const WINDOW_SIZE: WindowSize = { width: 1400, height: 900, minWidth: 900, minHeight: 600 };

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_SIZE,
    title: 'Noctis',
    backgroundColor: '#0b0d10',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

const hardened = new WeakSet<WebContents>();

/** No navigation away from the app, no new windows, no permission (camera, notifications…). */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

/** Every web contents the app ever creates (windows, devtools, anything) gets the same hardening. */
export function hardenAllWebContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** Where the window's size and position are remembered between runs. */
export interface RememberOptions {
  dataDir: string;
  /** Electron's `screen`: a saved position off every display is dropped. */
  displays: Displays;
  onSaveError?: (err: unknown) => void;
}

/** Without a position, Electron centres the window. */
function boundsOf({ x, y, width, height }: WindowState): BrowserWindowConstructorOptions {
  return x !== undefined && y !== undefined ? { x, y, width, height } : { width, height };
}

export function createMainWindow(Window: WindowConstructor, preloadPath: string, remember?: RememberOptions): BrowserWindow {
  const options = windowOptions(preloadPath);
  const state = remember ? loadWindowState(remember.dataDir, WINDOW_SIZE, remember.displays) : undefined;
  // Only the bounds change: webPreferences stay exactly as windowOptions made them.
  const win = new Window(state ? { ...options, ...boundsOf(state) } : options);
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => {
    if (state?.maximized) win.maximize();
    if (state?.fullScreen) win.setFullScreen(true);
    win.show();
  });
  if (remember) trackWindowState(win, remember.dataDir, { onError: remember.onSaveError });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
