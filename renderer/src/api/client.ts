import { isErrorInfo, type ErrorCode, type ErrorInfo } from '../../../shared/errors';
import type { NoctisApi } from '../../../shared/api';
import { connectWebSocketApi } from './wsTransport';

declare global {
  interface Window {
    /** Installed by Electron's preload, or by connectApi() in a browser. */
    noctis: NoctisApi;
  }
}

/** Makes sure window.noctis exists: Electron's preload put it there, else the host's WebSocket. */
export async function connectApi(): Promise<NoctisApi> {
  if (!window.noctis) {
    const wsUrl = new URL('api', window.location.href);
    wsUrl.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    wsUrl.search = '';
    Object.defineProperty(window, 'noctis', { value: await connectWebSocketApi(wsUrl.toString()), writable: false });
  }
  // The token has done its work (the host set a cookie): keep it out of the address bar and history.
  if (new URL(window.location.href).searchParams.has('token')) window.history.replaceState(null, '', window.location.pathname);
  return window.noctis;
}

/**
 * Refusals that say the session is not usable as it is (signed out, ended, locked, password to
 * change). The auth gate handles them all in one place; features need not, and no toast shows them.
 */
const SESSION_REFUSALS: ReadonlySet<string> = new Set<ErrorCode>(['AUTH_REQUIRED', 'SESSION_EXPIRED', 'SESSION_LOCKED', 'PASSWORD_CHANGE_REQUIRED']);

export function isSessionRefusal(error: unknown): error is ErrorInfo {
  return isErrorInfo(error) && SESSION_REFUSALS.has(error.code);
}

const refusalListeners = new Set<(error: ErrorInfo) => void>();

/** Hears every call refused for the session's state, whichever feature made it. */
export function onSessionRefused(listener: (error: ErrorInfo) => void): () => void {
  refusalListeners.add(listener);
  return () => {
    refusalListeners.delete(listener);
  };
}

let wrapped: { base: NoctisApi; api: NoctisApi } | null = null;

/** window.noctis, with session refusals reported to the auth gate before the caller sees them. */
export function api(): NoctisApi {
  const base = window.noctis;
  if (wrapped?.base === base) return wrapped.api;
  const withRefusals: NoctisApi = {
    invoke: (channel, payload) =>
      base.invoke(channel, payload).catch((error: unknown) => {
        if (isSessionRefusal(error)) refusalListeners.forEach((listener) => listener(error));
        throw error;
      }),
    on: (event, listener) => base.on(event, listener),
    pathForFile: base.pathForFile,
  };
  wrapped = { base, api: withRefusals };
  return withRefusals;
}

/** What to show for a failed call: the core's ErrorInfo, or a generic one. */
export function errorInfo(error: unknown): ErrorInfo {
  if (isErrorInfo(error)) return error;
  return {
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : 'Something went wrong.',
    recovery: 'Try again.',
    errorId: 'renderer',
  };
}
