import { isErrorInfo, type ErrorInfo } from '../../../shared/errors';
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

export function api(): NoctisApi {
  return window.noctis;
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
