import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { EventName, Events } from '../../shared/api';
import type { ImportReport } from '../../shared/import';
import { createDispatch, type Dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { importFiles } from './import/importFiles';
import { createLogger, type Logger, type LogLevel } from './log/logger';
import { createCatalog } from './store/catalog';
import { openDb } from './store/db';
import { ensureStoreDirs, storePaths, type StorePaths } from './store/files';

export interface CoreOptions {
  dataDir: string;
  /** Log lines also go to stderr from this level up (CLI, development). */
  consoleLogLevel?: LogLevel | false;
}

export interface Core {
  readonly paths: StorePaths;
  readonly log: Logger;
  /** The handler table behind every transport. */
  readonly dispatch: Dispatch;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
  importFiles(inputs: readonly string[]): Promise<ImportReport>;
  /** Absolute path and size of an instance's stored file, for the byte-serving routes. */
  instanceFile(sopInstanceUid: string): { path: string; size: number } | undefined;
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const paths = storePaths(options.dataDir);
  ensureStoreDirs(paths);
  const log = createLogger({ dir: paths.logsDir, consoleLevel: options.consoleLogLevel ?? false });
  const db = openDb(paths.dbFile);
  const catalog = createCatalog(db);
  const events = new EventEmitter();
  const emit = <E extends EventName>(event: E, data: Events[E]) => events.emit(event, data);
  const dispatch = createDispatch(createHandlers(catalog), log.scope('api'));
  log.info('core.started', { dataDir: paths.dataDir, pid: process.pid });

  return {
    paths,
    log,
    dispatch,
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    importFiles: (inputs) =>
      importFiles(
        {
          db,
          catalog,
          paths,
          log: log.scope('import'),
          onStudiesChanged: (studyInstanceUids) => emit('studies.changed', { studyInstanceUids }),
        },
        inputs,
      ),
    instanceFile(sopInstanceUid) {
      const file = catalog.instanceFile(sopInstanceUid);
      return file && { path: path.join(paths.dataDir, file.path), size: file.size };
    },
    close() {
      log.info('core.stopped', {});
      db.close();
    },
  };
}
