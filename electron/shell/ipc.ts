// Binds the core's handler table to Electron IPC: one invoke channel, checked sender frame.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_NAMES, IPC_EVENT, IPC_INVOKE, type Reply } from '../../shared/api';
import { ERROR_CATALOGUE } from '../../shared/errors';
import type { Core } from '../core';
import type { Dispatch } from '../core/api/dispatch';
import type { CallContext } from '../core/api/handlers';
import type { Connection } from '../core/auth/sessions';
import { newErrorId } from '../core/errors';
import type { Logger } from '../core/log/logger';
import { APP_HOST, instanceUrl, SCHEME } from './protocol';

type Frame = IpcMainInvokeEvent['senderFrame'];

/** Only the app's own top-level page may call the core; not an iframe, not another origin. */
export function isTrustedFrame(frame: Frame | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    // Not URL.origin: WHATWG URL gives "null" as the origin of a custom scheme.
    const url = new URL(frame.url);
    return url.protocol === `${SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

type Contents = Pick<WebContents, 'send' | 'isDestroyed'>;
const connections = new WeakMap<Contents, Connection>();

/** One connection per window: its session survives a reload of the page, and ends with the window. */
export function connectionOf(contents: Contents): Connection {
  let connection = connections.get(contents);
  if (!connection) {
    connection = {
      notify: (status) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT, 'auth.changed', status);
      },
    };
    connections.set(contents, connection);
  }
  return connection;
}

/** What Electron can do for the handlers that a browser cannot: native dialogs, the file manager. */
export type NativeCapabilities = Pick<CallContext, 'pickPaths' | 'openFolder'>;

export function bindIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch, log: Logger, native: NativeCapabilities = {}): void {
  const base: CallContext = { instanceUrl, pickPaths: native.pickPaths, openFolder: native.openFolder };
  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, payload: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedFrame(event.senderFrame)) {
      const errorId = newErrorId();
      log.warn('ipc.refused_frame', { url: event.senderFrame?.url, channel: String(channel).slice(0, 100), errorId });
      return { ok: false, error: { code: 'UNAUTHORIZED', ...ERROR_CATALOGUE.UNAUTHORIZED, errorId } };
    }
    return dispatch(channel, payload, { ...base, connection: connectionOf(event.sender) });
  });
}

/**
 * Pushes core events to a window, as much of each as its session may see; when the window
 * goes away, stops and ends its session.
 */
export function forwardEvents(source: Pick<Core, 'on' | 'visibleEvent' | 'disconnect'>, contents: Contents & Pick<WebContents, 'once'>): void {
  const connection = connectionOf(contents);
  const offs = EVENT_NAMES.map((name) =>
    source.on(name, (data) => {
      const visible = source.visibleEvent(connection, name, data);
      if (visible !== undefined && !contents.isDestroyed()) contents.send(IPC_EVENT, name, visible);
    }),
  );
  contents.once('destroyed', () => {
    offs.forEach((off) => off());
    source.disconnect(connection);
  });
}
