// Electron main process entry: the only file that wires Electron to the core.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, screen, shell } from 'electron';
import { createCore, type Core } from '../core';
import type { Logger } from '../core/log/logger';
import { defaultDataDir } from '../core/paths';
import { handleProcessGone, handleUncaughtErrors, startedContext } from './crash';
import { bindIpc, forwardEvents } from './ipc';
import { aboutDialog, menuTemplate, sendCommand } from './menu';
import { notifyReceived } from './notify';
import { createProtocolHandler, SCHEME, SCHEME_PRIVILEGES } from './protocol';
import { createMainWindow, hardenAllWebContents } from './window';

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

// Until the core (and its log file) exists, errors go to stderr.
const shellLog: Pick<Logger, 'error'> = {
  error: (event, context) => (core ? core.log.scope('shell').error(event, context) : console.error(event, context)),
};
handleUncaughtErrors(process, shellLog, { isReady: () => app.isReady(), showErrorBox: (title, content) => dialog.showErrorBox(title, content) });
handleProcessGone(app, shellLog);

protocol.registerSchemesAsPrivileged([SCHEME_PRIVILEGES]);

// Set before the single-instance lock, which is taken per userData folder: a test or a second
// store (NOCTIS_DATA_DIR) does not collide with the app the user has open.
const dataDir = defaultDataDir();
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  hardenAllWebContents(app);
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());
}

function start(): void {
  core = createCore({ dataDir, consoleLogLevel: app.isPackaged ? false : 'info', kind: 'app' });
  const log = core.log.scope('shell');
  log.info('shell.started', startedContext(app.getVersion(), process.versions, { packaged: app.isPackaged, dataDir }));
  const logsDir = core.paths.logsDir;

  protocol.handle(SCHEME, createProtocolHandler(core, path.join(__dirname, '..', 'renderer')));
  bindIpc(ipcMain, core.dispatch, core.log.scope('ipc'), {
    pickPaths: async (kind) => {
      const options: Electron.OpenDialogOptions = {
        title: kind === 'folder' ? 'Import a folder or disc' : 'Import files',
        properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
      };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    openFolder,
  });

  const template = menuTemplate(
    {
      command: (command) => sendCommand(mainWindow?.webContents, command),
      openLogsFolder: () => {
        openFolder(logsDir).catch((error: unknown) => log.warn('shell.open_folder_failed', { dir: logsDir, error }));
      },
      about: () => {
        const options = aboutDialog(app.getName(), app.getVersion(), process.versions);
        void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
      },
    },
    { appName: app.getName(), platform: process.platform, isPackaged: app.isPackaged },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));

  mainWindow = createMainWindow(BrowserWindow, path.join(__dirname, 'preload.js'), {
    dataDir,
    displays: screen,
    onSaveError: (error) => log.warn('shell.window_state_not_saved', { error }),
  });
  forwardEvents(core, mainWindow.webContents);
  const stopNotifying = notifyReceived(Notification, core, mainWindow.webContents);
  mainWindow.on('closed', () => {
    stopNotifying();
    mainWindow = undefined;
  });
}

/** Opens a folder in the file manager; shell.openPath reports failure as a message, not a rejection. */
function openFolder(dir: string): Promise<void> {
  return shell.openPath(dir).then((err) => {
    if (err) throw new Error(err);
  });
}
