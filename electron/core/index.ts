import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { EventName, Events } from '../../shared/api';
import type { ImportReport } from '../../shared/import';
import { createDispatch, type Dispatch } from './api/dispatch';
import { part10Prefix } from './dicom/part10';
import { createHandlers } from './api/handlers';
import type { ImportOptions } from './import/importJob';
import { createImportJobs } from './import/jobs';
import { createLogger, type Logger, type LogLevel } from './log/logger';
import { createCatalog, type InstanceListing } from './store/catalog';
import { openDb } from './store/db';
import { ensureStoreDirs, storePaths, type StorePaths } from './store/files';
import { createImportHistory } from './store/importHistory';

export interface CoreOptions {
  dataDir: string;
  /** Log lines also go to stderr from this level up (CLI, development). */
  consoleLogLevel?: LogLevel | false;
}

export interface InstanceFile {
  path: string;
  size: number;
  /** For a bare dataset: the Part 10 header to serve in front of it (the file stays as it is). */
  prefix?: Buffer;
}

export interface Core {
  readonly paths: StorePaths;
  readonly log: Logger;
  /** The handler table behind every transport. */
  readonly dispatch: Dispatch;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
  /** Imports files and folders and resolves with the report when done. */
  importFiles(inputs: readonly string[], options?: Omit<ImportOptions, 'jobId'>): Promise<ImportReport>;
  /** Absolute path and size of an instance's file, for the byte-serving routes. */
  instanceFile(sopInstanceUid: string): InstanceFile | undefined;
  /** Every instance in the store, one at a time. */
  instances(): Generator<InstanceListing>;
  /** Cancels running imports, waits for them to commit, then closes the store. */
  shutdown(): Promise<void>;
  /** Closes the store now. */
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const paths = storePaths(options.dataDir);
  ensureStoreDirs(paths);
  const log = createLogger({ dir: paths.logsDir, consoleLevel: options.consoleLogLevel ?? false });
  const db = openDb(paths.dbFile);
  const catalog = createCatalog(db);
  const importHistory = createImportHistory(db);
  const events = new EventEmitter();
  const emit = <E extends EventName>(event: E, data: Events[E]) => events.emit(event, data);
  reconcile(paths, importHistory, log);

  const imports = createImportJobs({
    db,
    catalog,
    history: importHistory,
    paths,
    log: log.scope('import'),
    onStudiesChanged: (studyInstanceUids) => emit('studies.changed', { studyInstanceUids }),
    onProgress: (progress) => emit('import.progress', progress),
    onFinished: (report) => emit('import.finished', report),
  });
  const dispatch = createDispatch(createHandlers({ catalog, imports, importHistory }), log.scope('api'));
  const absolute = (file: string, linked: boolean) => (linked ? file : path.join(paths.dataDir, file));
  let closed = false;
  log.info('core.started', { dataDir: paths.dataDir, pid: process.pid });

  const close = () => {
    if (closed) return;
    closed = true;
    log.info('core.stopped', {});
    db.close();
  };

  return {
    paths,
    log,
    dispatch,
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    importFiles: (inputs, importOptions) => imports.run(inputs, importOptions),
    instanceFile(sopInstanceUid) {
      const file = catalog.instanceFile(sopInstanceUid);
      if (!file) return undefined;
      const prefix = file.rawDataset ? part10Prefix({ sopInstanceUid, ...file }) : undefined;
      return { path: absolute(file.path, file.linked), size: file.size, prefix };
    },
    instances: () => catalog.instances(absolute),
    async shutdown() {
      await imports.stopAll();
      close();
    },
    close,
  };
}

/** Temp files older than this belong to no running copy (another process may share the store). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * At start: jobs of processes that are gone were cut short (crash, kill, power loss); stale
 * temp files of unfinished copies are removed. Copies already renamed into dicom/ are complete
 * and a re-import adopts them (the store is content-addressed).
 */
function reconcile(paths: StorePaths, history: ReturnType<typeof createImportHistory>, log: Logger): void {
  const interrupted = history.markInterrupted();
  let removed = 0;
  for (const name of fs.readdirSync(paths.tmpDir)) {
    const file = path.join(paths.tmpDir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat || Date.now() - stat.mtimeMs < STALE_TEMP_MS) continue;
    fs.rmSync(file, { recursive: true, force: true });
    removed++;
  }
  if (interrupted > 0 || removed > 0) log.warn('core.reconciled', { interruptedImports: interrupted, tempFilesRemoved: removed });
}
