// Electron main process entry: the only file that wires Electron to the core.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol } from 'electron';
import { createCore, type Core } from '../core';
import { defaultDataDir } from '../core/paths';
import { bindIpc, forwardEvents } from './ipc';
import { createProtocolHandler, SCHEME, SCHEME_PRIVILEGES } from './protocol';
import { createMainWindow } from './window';

protocol.registerSchemesAsPrivileged([SCHEME_PRIVILEGES]);

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());
}

function start(): void {
  const dataDir = defaultDataDir();
  app.setPath('userData', dataDir);
  core = createCore({ dataDir, consoleLogLevel: app.isPackaged ? false : 'info' });
  protocol.handle(SCHEME, createProtocolHandler(core, path.join(__dirname, '..', 'renderer')));
  bindIpc(ipcMain, core.dispatch, core.log.scope('ipc'), async (kind) => {
    const options: Electron.OpenDialogOptions = {
      title: kind === 'folder' ? 'Import a folder or disc' : 'Import files',
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
    };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  });
  mainWindow = createMainWindow(BrowserWindow, path.join(__dirname, 'preload.js'));
  forwardEvents(core, mainWindow.webContents);
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}
