// Errors nobody caught in the main process, and renderer or helper processes that died: each is
// logged with an errorId (the id the user can quote), and an uncaught exception is shown in an
// error box instead of vanishing. Process, app and dialog come in as arguments for the tests.
import type { Details, RenderProcessGoneDetails, WebContents } from 'electron';
import { newErrorId } from '../core/errors';
import type { Logger } from '../core/log/logger';

type ErrorLog = Pick<Logger, 'error'>;

/** `process`, or an EventEmitter in a test. */
export interface ProcessEvents {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** Electron's `app`, or an EventEmitter in a test. */
export interface AppEvents {
  on(event: 'render-process-gone', listener: (event: unknown, contents: Pick<WebContents, 'getURL'>, details: RenderProcessGoneDetails) => void): unknown;
  on(event: 'child-process-gone', listener: (event: unknown, details: Details) => void): unknown;
}

export interface ErrorBox {
  /** False before the app is ready: then there is no window system to show a box with. */
  isReady(): boolean;
  showErrorBox(title: string, content: string): void;
}

export function handleUncaughtErrors(proc: ProcessEvents, log: ErrorLog, box: ErrorBox): void {
  proc.on('uncaughtException', (error) => {
    const errorId = newErrorId();
    log.error('shell.uncaught', { errorId, kind: 'uncaughtException', error });
    if (!box.isReady()) return;
    try {
      box.showErrorBox(
        'Noctis: unexpected error',
        `Something went wrong in the application. Your studies are safe; if something no longer works, restart Noctis.\n\nError ID: ${errorId}\n(The log file has the details under this ID.)`,
      );
    } catch (err) {
      log.error('shell.error_box_failed', { errorId, error: err });
    }
  });
  proc.on('unhandledRejection', (reason) => {
    log.error('shell.uncaught', { errorId: newErrorId(), kind: 'unhandledRejection', error: reason });
  });
}

export function handleProcessGone(app: AppEvents, log: ErrorLog): void {
  app.on('render-process-gone', (_event, contents, details) => {
    log.error('shell.render_process_gone', {
      errorId: newErrorId(),
      reason: details.reason,
      exitCode: details.exitCode,
      url: safeUrl(contents),
    });
  });
  app.on('child-process-gone', (_event, details) => {
    log.error('shell.child_process_gone', {
      errorId: newErrorId(),
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
      serviceName: details.serviceName,
      name: details.name,
    });
  });
}

function safeUrl(contents: Pick<WebContents, 'getURL'> | undefined): string | undefined {
  try {
    return contents?.getURL();
  } catch {
    return undefined;
  }
}

/** The 'shell.started' line: which build runs on what. */
export function startedContext(appVersion: string, versions: NodeJS.ProcessVersions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: appVersion,
    electron: versions.electron,
    chrome: versions.chrome,
    node: versions.node,
    v8: versions.v8,
    platform: process.platform,
    arch: process.arch,
    ...extra,
  };
}
