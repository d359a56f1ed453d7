import { ERROR_CATALOGUE, type ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api/client';

type Source = 'error' | 'unhandledrejection' | 'render';

/**
 * Logs an error the window could not handle in the core's log and returns what to show: the
 * UI_ERROR entry with the errorId of that log line (or "unlogged" when even that failed).
 */
export async function reportError(error: unknown, source: Source): Promise<ErrorInfo> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  let errorId = 'unlogged';
  try {
    ({ errorId } = await api().invoke('log.report', {
      message: message.slice(0, 2000),
      stack: stack?.slice(0, 20000),
      source,
      url: window.location.href.split('?')[0].slice(0, 2000),
    }));
  } catch {
    // The core is unreachable: the toast still says what happened.
  }
  return { code: 'UI_ERROR', ...ERROR_CATALOGUE.UI_ERROR, errorId };
}

/** Sends every uncaught error and unhandled rejection of this window to the log. */
export function installErrorReporting(show: (info: ErrorInfo) => void): () => void {
  const onError = (e: ErrorEvent) => void reportError(e.error ?? e.message, 'error').then(show);
  const onRejection = (e: PromiseRejectionEvent) => void reportError(e.reason, 'unhandledrejection').then(show);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
