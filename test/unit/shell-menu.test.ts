// The application menu as a template: its items send commands to the window, open the logs
// folder, show the About box; developer items only outside the packaged app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { APP_COMMANDS, IPC_EVENT, VIEWER_LAYOUTS, viewerLayoutOf, type AppCommand } from '../../shared/api';
import { aboutDialog, menuTemplate, sendCommand, type MenuActions, type MenuEnvironment } from '../../electron/shell/menu';

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    command: (command) => calls.push(`command:${command}`),
    openLogsFolder: () => calls.push('openLogsFolder'),
    about: () => calls.push('about'),
  };
  return { calls, actions };
}

const linux: MenuEnvironment = { appName: 'Noctis', platform: 'linux', isPackaged: true };

/** Every item of the template, submenus included, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

function byId(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const found = items(template).find((item) => item.id === id);
  assert.ok(found, `menu item ${id}`);
  return found;
}

function click(item: MenuItemConstructorOptions): void {
  assert.ok(item.click, `${item.label ?? item.role} is clickable`);
  (item.click as () => void)();
}

function roles(template: MenuItemConstructorOptions[]): string[] {
  return items(template).flatMap((item) => (item.role ? [item.role] : []));
}

test('File, View and Help send the window its commands', () => {
  const { calls, actions } = recorder();
  const template = menuTemplate(actions, linux);
  assert.deepEqual(
    template.map((menu) => menu.label ?? menu.role),
    ['&File', 'editMenu', '&View', '&Help'],
  );
  const expected: Array<[string, AppCommand]> = [
    ['import.folder', 'import.folder'],
    ['import.files', 'import.files'],
    ['send', 'send'],
    ['settings', 'settings'],
    ['health', 'health'],
    ['logs', 'logs'],
    ['layout.1x1', 'layout.1x1'],
    ['layout.1x2', 'layout.1x2'],
    ['layout.2x1', 'layout.2x1'],
    ['layout.2x2', 'layout.2x2'],
  ];
  for (const [id] of expected) click(byId(template, id));
  assert.deepEqual(
    calls,
    expected.map(([, command]) => `command:${command}`),
  );
  assert.deepEqual([...new Set(expected.map(([, c]) => c))].sort(), [...APP_COMMANDS].sort(), 'every app command has an item');
  assert.equal(byId(template, 'import.folder').label, 'Import folder…');
  assert.equal(byId(template, 'import.files').label, 'Import files…');
  assert.equal(byId(template, 'send').label, 'Send study…');
  assert.equal(byId(template, 'settings').label, 'Settings…');
  assert.equal(byId(template, 'health').label, 'System health');
  assert.equal(byId(template, 'logs').label, 'Log viewer');
  assert.equal(byId(template, 'layout.2x2').label, '2 × 2');
  // The window reads each layout item's command back as that layout, and no other command as one.
  for (const layout of VIEWER_LAYOUTS) assert.equal(viewerLayoutOf(`layout.${layout}`), layout);
  for (const command of APP_COMMANDS.filter((c) => !c.startsWith('layout.'))) assert.equal(viewerLayoutOf(command), undefined);
  assert.equal(byId(template, 'layout.1x2').accelerator, 'CmdOrCtrl+Alt+2');
});

test('Help opens the logs folder and the About box', () => {
  const { calls, actions } = recorder();
  const template = menuTemplate(actions, linux);
  assert.equal(byId(template, 'logs.openFolder').label, 'Open logs folder');
  click(byId(template, 'logs.openFolder'));
  assert.equal(byId(template, 'about').label, 'About Noctis');
  click(byId(template, 'about'));
  assert.deepEqual(calls, ['openLogsFolder', 'about']);
});

test('import and settings have keyboard shortcuts; quit, full screen and zoom are roles', () => {
  const template = menuTemplate(recorder().actions, linux);
  assert.equal(byId(template, 'import.folder').accelerator, 'CmdOrCtrl+O');
  assert.equal(byId(template, 'settings').accelerator, 'CmdOrCtrl+,');
  const present = roles(template);
  for (const role of ['quit', 'togglefullscreen', 'resetZoom', 'zoomIn', 'zoomOut']) assert.ok(present.includes(role), role);
  const file = template[0].submenu as MenuItemConstructorOptions[];
  assert.equal(file.at(-1)?.role, 'quit', 'File ends with Quit');
  assert.equal(file.at(-2)?.type, 'separator');
});

test('reload and developer tools only in development', () => {
  const packaged = roles(menuTemplate(recorder().actions, linux));
  for (const role of ['reload', 'forceReload', 'toggleDevTools']) assert.equal(packaged.includes(role), false, role);
  const dev = roles(menuTemplate(recorder().actions, { ...linux, isPackaged: false }));
  for (const role of ['reload', 'forceReload', 'toggleDevTools']) assert.ok(dev.includes(role), role);
});

test('on macOS the app menu comes first and File closes the window instead of quitting', () => {
  const template = menuTemplate(recorder().actions, { ...linux, platform: 'darwin' });
  assert.equal(template[0].role, 'appMenu');
  assert.ok(roles(template).includes('windowMenu'));
  const file = template.find((menu) => menu.label === '&File')!.submenu as MenuItemConstructorOptions[];
  assert.equal(file.at(-1)?.role, 'close');
  assert.equal(menuTemplate(recorder().actions, linux)[0].label, '&File', 'no app menu elsewhere');
  assert.equal(roles(menuTemplate(recorder().actions, { ...linux, platform: 'win32' })).includes('appMenu'), false);
});

test('sendCommand sends app.command to a live window, and nothing to a destroyed one', () => {
  const sent: unknown[][] = [];
  let destroyed = false;
  const contents = { send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => destroyed };
  assert.equal(sendCommand(contents, 'import.folder'), true);
  assert.deepEqual(sent, [[IPC_EVENT, 'app.command', { command: 'import.folder' }]]);
  destroyed = true;
  assert.equal(sendCommand(contents, 'settings'), false);
  assert.equal(sendCommand(undefined, 'settings'), false, 'no window at all');
  assert.equal(sent.length, 1);
});

test('the About box shows the app version and the Electron, Chrome, Node and V8 versions', () => {
  const box = aboutDialog('Noctis', '0.1.0', { electron: '45.6.0', chrome: '142.0.1', node: '22.20.0', v8: '14.2.1' });
  assert.equal(box.title, 'About Noctis');
  assert.equal(box.message, 'Noctis 0.1.0');
  for (const line of ['Electron 45.6.0', 'Chrome 142.0.1', 'Node.js 22.20.0', 'V8 14.2.1']) assert.ok(box.detail?.includes(line), line);
  assert.match(aboutDialog('Noctis', '0.1.0', process.versions).detail ?? '', /Node\.js \d+\.\d+/);
});
