import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { EventName, Events } from '../../shared/api';
import type { ImportReport } from '../../shared/import';
import { createDispatch, type Dispatch } from './api/dispatch';
import { part10Prefix } from './dicom/part10';
import { createAuthHandlers } from './api/authHandlers';
import { createHandlers } from './api/handlers';
import type { ImportOptions } from './import/importJob';
import { createImportJobs } from './import/jobs';
import { createLogger, type Logger, type LogLevel } from './log/logger';
import { createCatalog, type InstanceListing } from './store/catalog';
import { openDb } from './store/db';
import { ensureStoreDirs, storePaths, type StorePaths } from './store/files';
import { createImportHistory } from './store/importHistory';
import { createMetrics } from './store/metrics';
import { createRuns, type RunKind, type Runs } from './store/runs';
import { createSettings } from './store/settings';
import { createHealth } from './health/collect';
import { createDiskGuard } from './health/disk';
import { createIntegrity, type Integrity } from './health/integrity';
import { HEALTH_THRESHOLDS } from '../../shared/health';
import type { AuditTrail } from './audit/types';
import type { Connection } from './auth/sessions';
import { localUser } from './paths';
import { createSecurity } from './security';
import { createFileIngest } from './import/fileIngest';
import { createReceiver, type Receiver } from './network/receiver';
import { createNodes, createReceiverState, createSendHistory } from './store/network';
import { createSender, type Destination, type Sender } from './network/sender';
import type { SendReport } from '../../shared/network';
import { createNetworkHandlers } from './api/networkHandlers';
import { createViewerHandlers } from './api/viewerHandlers';
import { createMeasurements, createThumbnails } from './store/viewerStore';

export interface CoreOptions {
  dataDir: string;
  /** Log lines also go to stderr from this level up (CLI, development). */
  consoleLogLevel?: LogLevel | false;
  /** What is opening the store, for the health report's process list (default cli). */
  kind?: RunKind;
  /** Rotation of the log files (tests use small sizes). */
  logMaxSizeBytes?: number;
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
  /** Absolute path and size of an instance's file (trusted, in-process callers). */
  instanceFile(sopInstanceUid: string): InstanceFile | undefined;
  /** The same for the byte routes: only with the key of a live session that may see its study. */
  instanceFileForKey(sopInstanceUid: string, key: string | null): InstanceFile | undefined;
  /** What of a core event a window may receive (by its session's role and facility). */
  visibleEvent<E extends EventName>(connection: Connection, event: E, data: Events[E]): Events[E] | undefined;
  /** A window or tab closed: its session ends. */
  disconnect(connection: Connection): void;
  /** The tamper-evident audit trail of this store. */
  readonly audit: AuditTrail;
  /** Who the command line acts as in the audit trail (`cli:<os user>`). */
  readonly localUser: string;
  /** Every instance in the store, one at a time. */
  instances(): Generator<InstanceListing>;
  /** The DICOM receiver (started by the app and `serve` when enabled, by `noctis scp`). */
  readonly receiver: Receiver;
  /** C-ECHO and send jobs. */
  readonly sender: Sender;
  /** The command line's send: a study (or series) to an address, audited as its local user. */
  sendStudy(studyInstanceUid: string, seriesInstanceUid: string | null, destination: Destination, signal?: AbortSignal): Promise<SendReport>;
  /** Cancels running imports, waits for them to commit, then closes the store. */
  shutdown(): Promise<void>;
  /** Closes the store now. */
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const startedAt = new Date();
  const kind = options.kind ?? 'cli';
  const paths = storePaths(options.dataDir);
  ensureStoreDirs(paths);
  const log = createLogger({ dir: paths.logsDir, consoleLevel: options.consoleLogLevel ?? false, maxSizeBytes: options.logMaxSizeBytes });
  const db = openDb(paths.dbFile);
  const catalog = createCatalog(db);
  const importHistory = createImportHistory(db);
  const settings = createSettings(db);
  const metrics = createMetrics(db);
  const runs = createRuns(db);
  const integrity = createIntegrity(db);
  const events = new EventEmitter();
  const emit = <E extends EventName>(event: E, data: Events[E]) => events.emit(event, data);
  reconcile(paths, importHistory, runs, log);
  const runId = runs.start(kind, startedAt);
  const minFreeBytes = () => settings.get().minFreeDiskMB * 1_000_000;

  const disk = createDiskGuard(paths.dataDir, minFreeBytes);
  const imports = createImportJobs({
    db,
    catalog,
    history: importHistory,
    paths,
    log: log.scope('import'),
    disk,
    onStudiesChanged: (studyInstanceUids) => emit('studies.changed', { studyInstanceUids }),
    onProgress: (progress) => emit('import.progress', progress),
    onFinished: (report) => emit('import.finished', report),
  });
  const receiverState = createReceiverState(db);
  const health = createHealth({
    db,
    paths,
    metrics,
    runs,
    integrity,
    minFreeBytes,
    startedAt,
    audit: () => security.auditHealth(),
    receiver: () => receiverState.read() ?? receiver.status(),
  });
  const apiLog = log.scope('api');
  const countCall = (ok: boolean) => {
    try {
      metrics.count('api.calls');
      if (!ok) metrics.count('api.errors');
    } catch (error) {
      apiLog.debug('api.count_failed', { error }); // a busy store must not fail the call itself
    }
  };
  const security = createSecurity({ db, catalog, settings, log: log.scope('auth'), kind });
  const files = createFileIngest({
    db,
    catalog,
    paths,
    log: log.scope('import'),
    onStudiesChanged: (studyInstanceUids) => emit('studies.changed', { studyInstanceUids }),
  });
  const receiver = createReceiver({
    tmpDir: paths.tmpDir,
    settings: () => settings.get(),
    log: log.scope('scp'),
    audit: security.audit,
    metrics,
    disk,
    files,
    onReceived: (notice) => emit('studies.received', notice),
    onStatus: (status) => {
      try {
        if (status.listening) receiverState.write(status);
        else receiverState.clear();
      } catch (error) {
        log.warn('scp.state_not_saved', { error }); // a busy or full store must not stop the receiver
      }
      emit('receiver.changed', status);
    },
  });
  if (kind === 'app' || kind === 'serve') {
    receiver.start().catch((error: unknown) => log.error('scp.start_failed', { error }));
  }
  const sendHistory = createSendHistory(db);
  const sender = createSender({
    dataDir: paths.dataDir,
    history: sendHistory,
    log: log.scope('send'),
    audit: security.audit,
    metrics,
    callingAeTitle: () => settings.get().scpAeTitle,
    onProgress: (progress) => emit('send.progress', progress),
    onFinished: (report) => emit('send.finished', report),
  });
  const handlers = {
    ...createHandlers({
      catalog,
      imports,
      importHistory,
      health,
      integrity,
      settings,
      paths,
      log: apiLog,
      audit: security.audit,
      importAs: (principal) => security.importAs(principal),
      verifyAudit: () => security.verifyNow(),
      settingsChanged: () => {
        if (kind === 'app' || kind === 'serve' || kind === 'scp') receiver.apply().catch((error: unknown) => log.error('scp.restart_failed', { error }));
      },
    }),
    ...createAuthHandlers({ ...security, log: log.scope('auth') }),
    ...createNetworkHandlers({
      catalog,
      nodes: createNodes(db),
      sender,
      sendHistory,
      audit: security.audit,
      receiverStatus: () => receiverState.read() ?? receiver.status(),
    }),
    ...createViewerHandlers({
      catalog,
      measurements: createMeasurements(db),
      thumbnails: createThumbnails(db),
      resolvePath: (p, linked) => absolute(p, linked),
      viewerCacheMB: () => settings.get().viewerCacheMB,
      audit: security.audit,
    }),
  };
  const dispatch = createDispatch(handlers, apiLog, {
    resolve: (ctx) => security.sessions.resolve(ctx.connection),
    onDenied: (channel, principal) => security.onDenied(channel, principal),
    onCall: countCall,
  });
  const cliUser = localUser();
  const absolute = (file: string, linked: boolean) => (linked ? file : path.join(paths.dataDir, file));
  const servedFile = (sopInstanceUid: string, allowed: (facilityId: number | null) => boolean): InstanceFile | undefined => {
    const file = catalog.instanceFile(sopInstanceUid);
    if (!file || !allowed(file.facilityId)) return undefined;
    const prefix = file.rawDataset ? part10Prefix({ sopInstanceUid, ...file }) : undefined;
    return { path: absolute(file.path, file.linked), size: file.size, prefix };
  };
  const integrityTimer = kind === 'cli' ? undefined : scheduleIntegrityCheck(integrity, log);
  let closed = false;
  log.info('core.started', { dataDir: paths.dataDir, pid: process.pid, kind });
  security.start();

  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(integrityTimer);
    // A closed store takes no more instances: the port is freed (its associations cut).
    void receiver.stop();
    security.stop();
    try {
      runs.stop(runId);
    } catch (error) {
      // A full disk must not keep the store open: the run is then counted as unclean next time.
      log.warn('core.run_not_closed', { error });
    }
    log.info('core.stopped', { uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000) });
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
    // The command line's imports, audited as its local user.
    importFiles: (inputs, importOptions) => imports.run(inputs, { ...security.importAs({ kind: 'local', user: cliUser }), ...importOptions }),
    instanceFile: (sopInstanceUid) => servedFile(sopInstanceUid, () => true),
    instanceFileForKey: (sopInstanceUid, key) => servedFile(sopInstanceUid, (facilityId) => security.instanceAllowed(key, facilityId)),
    visibleEvent: (connection, event, data) => security.visibleEvent(connection, event, data),
    disconnect: (connection) => security.disconnect(connection),
    audit: security.audit,
    localUser: cliUser,
    instances: () => catalog.instances(absolute),
    receiver,
    sender,
    sendStudy: (studyInstanceUid, seriesInstanceUid, destination, signal) =>
      sender.run(
        { studyInstanceUid, seriesInstanceUid, destination, instances: catalog.sendable(studyInstanceUid, seriesInstanceUid), actor: { user: cliUser } },
        signal,
      ),
    async shutdown() {
      await receiver.stop();
      await sender.stopAll();
      await imports.stopAll();
      await files.close();
      close();
    },
    close,
  };
}

/** Long-running processes check the database when the last check is older than the threshold. */
const INTEGRITY_DELAY_MS = 60_000;

function scheduleIntegrityCheck(integrity: Integrity, log: Logger): NodeJS.Timeout {
  const timer = setTimeout(() => {
    const { checkedAt } = integrity.last();
    const maxAgeMs = HEALTH_THRESHOLDS.integrity.maxAgeDays * 86_400_000;
    if (checkedAt && Date.now() - Date.parse(checkedAt) < maxAgeMs) return;
    // Synchronous: it holds this thread for about a second per 100 MB of database.
    const result = integrity.run();
    log[result.result === 'ok' ? 'info' : 'error']('store.integrity_checked', { ...result, scheduled: true });
  }, INTEGRITY_DELAY_MS);
  timer.unref();
  return timer;
}

/** Temp files older than this belong to no running copy (another process may share the store). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * At start: jobs of processes that are gone were cut short (crash, kill, power loss); stale
 * temp files of unfinished copies are removed. Copies already renamed into dicom/ are complete
 * and a re-import adopts them (the store is content-addressed).
 */
function reconcile(paths: StorePaths, history: ReturnType<typeof createImportHistory>, runs: Runs, log: Logger): void {
  const uncleanStops = runs.reconcile();
  if (uncleanStops > 0) log.warn('core.unclean_stops', { uncleanStops });
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
