// The application menu, as a template built from callbacks (main.ts hands it to
// Menu.buildFromTemplate). Items that belong to the window (import, send, settings, health, logs) are
// sent to it as 'app.command' events, as are the viewer's layouts; the rest are Electron roles or
// native actions.
import type { MenuItemConstructorOptions, MessageBoxOptions, WebContents } from 'electron';
import { IPC_EVENT, VIEWER_LAYOUTS, type AppCommand, type Events } from '../../shared/api';

export interface MenuActions {
  /** Asks the window to carry out a command (see sendCommand). */
  command(command: AppCommand): void;
  /** Opens the logs folder in the file manager. */
  openLogsFolder(): void;
  /** Shows the About box. */
  about(): void;
}

export interface MenuEnvironment {
  appName: string;
  platform: NodeJS.Platform;
  /** Reload and developer tools are offered only in development. */
  isPackaged: boolean;
}

export function menuTemplate(actions: MenuActions, env: MenuEnvironment): MenuItemConstructorOptions[] {
  const mac = env.platform === 'darwin';
  const command = (id: AppCommand) => () => actions.command(id);
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'import.folder', label: 'Import folder…', accelerator: 'CmdOrCtrl+O', click: command('import.folder') },
      { id: 'import.files', label: 'Import files…', click: command('import.files') },
      { id: 'send', label: 'Send study…', accelerator: 'CmdOrCtrl+Shift+S', click: command('send') },
      separator,
      { id: 'settings', label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: command('settings') },
      separator,
      // On macOS, Quit lives in the app menu and File ends with Close Window.
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const developer: MenuItemConstructorOptions[] = env.isPackaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      {
        label: 'Layout',
        // The open study's viewports; a window with no study open ignores these.
        submenu: VIEWER_LAYOUTS.map((layout) => ({
          id: `layout.${layout}`,
          label: layout.replace('x', ' × '),
          accelerator: `CmdOrCtrl+Alt+${VIEWER_LAYOUTS.indexOf(layout) + 1}`,
          click: command(`layout.${layout}`),
        })),
      },
      separator,
      { id: 'health', label: 'System health', click: command('health') },
      separator,
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { id: 'logs', label: 'Log viewer', click: command('logs') },
      { id: 'logs.openFolder', label: 'Open logs folder', click: () => actions.openLogsFolder() },
      separator,
      { id: 'about', label: `About ${env.appName}`, click: () => actions.about() },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    file,
    // Cut, copy and paste in text fields need the edit roles on macOS.
    { role: 'editMenu' },
    view,
    ...(mac ? [{ role: 'windowMenu' } satisfies MenuItemConstructorOptions] : []),
    help,
  ];
}

/** Sends a menu command to the window, unless it is gone. */
export function sendCommand(contents: Pick<WebContents, 'send' | 'isDestroyed'> | undefined, command: AppCommand): boolean {
  if (!contents || contents.isDestroyed()) return false;
  const data: Events['app.command'] = { command };
  contents.send(IPC_EVENT, 'app.command', data);
  return true;
}

/** The About box: the app's version and the versions of what it runs on. */
export function aboutDialog(appName: string, appVersion: string, versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>): MessageBoxOptions {
  return {
    type: 'info',
    title: `About ${appName}`,
    message: `${appName} ${appVersion}`,
    detail: [
      'Offline DICOM workstation.',
      '',
      `Electron ${versions.electron ?? 'unknown'}`,
      `Chrome ${versions.chrome ?? 'unknown'}`,
      `Node.js ${versions.node ?? 'unknown'}`,
      `V8 ${versions.v8 ?? 'unknown'}`,
    ].join('\n'),
    buttons: ['OK'],
    noLink: true,
  };
}
