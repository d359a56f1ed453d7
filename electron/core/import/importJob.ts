// The import coordinator. Workers read, parse, hash and copy files; this (main) thread walks the
// sources, decides each file's outcome and writes the index in batched transactions. Memory is
// bounded: a small window of files in flight, one batch of rows pending, counters otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ERROR_CATALOGUE } from '../../../shared/errors';
import type { FileProblem, ImportProgress, ImportReport } from '../../../shared/import';
import { NoctisError } from '../errors';
import { isDiskFull, type DiskGuard } from '../health/disk';
import type { Logger } from '../log/logger';
import type { Catalog, Created } from '../store/catalog';
import type { Db } from '../store/db';
import { defaultDurability, syncFilesystem, type Durability } from '../store/durability';
import type { StorePaths } from '../store/files';
import type { ImportHistory } from '../store/importHistory';
import { IndexWriter } from './indexWriter';
import { ingestRead } from './ingest';
import { defaultPoolSize, importWorkerEntry, WorkerPool } from './pool';
import type { ReadResult, ReadTask } from './readInstance';
import { planImport } from './sources';

export interface ImportDeps {
  db: Db;
  catalog: Catalog;
  history: ImportHistory;
  paths: StorePaths;
  log: Logger;
  /** Called after each committed batch with the studies it touched. */
  onStudiesChanged?: (studyInstanceUids: string[]) => void;
  onProgress?: (progress: ImportProgress) => void;
  /** The free-space floor, checked before each file is copied. */
  disk?: DiskGuard;
}

export interface ImportOptions {
  /** Index files where they are instead of copying them (read-only archives). */
  link?: boolean;
  signal?: AbortSignal;
  jobId?: string;
  /** Worker threads; default one per core. */
  workers?: number;
  durability?: Durability;
  /** A batch of files a browser uploaded (tmp/uploads/<id>): imported, then removed. */
  upload?: string;
  /** New studies whose institution maps to no facility belong to this one (the importer's). */
  facilityId?: number | null;
  /** Studies this job wrote to, after each commit (for its audit event). */
  onCommitted?: (studyInstanceUids: string[]) => void;
  /** The job's end, with its report (for its audit event). */
  onFinished?: (report: ImportReport) => void;
}

/** Rows committed per transaction, and the longest a read file waits to be committed. */
const BATCH_SIZE = 500;
const BATCH_MS = 250;
const PROGRESS_MS = 200;
/** Problem files listed one by one in the report; the counts stay exact beyond it. */
const MAX_LISTED_ERRORS = 1000;

export async function runImport(deps: ImportDeps, inputs: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  const { db, catalog, history, paths, log } = deps;
  const jobId = options.jobId ?? randomUUID();
  const mode = options.link ? 'link' : 'copy';
  const started = performance.now();
  history.start(jobId, inputs);
  log.info('import.started', { jobId, inputs, mode });

  const report: ImportReport = {
    jobId,
    status: 'running',
    mode,
    source: 'files',
    notes: [],
    totalFiles: 0,
    imported: 0,
    duplicates: 0,
    conflicts: 0,
    invalid: 0,
    invalidByCode: {},
    skipped: 0,
    createdPatients: 0,
    createdStudies: 0,
    createdSeries: 0,
    createdInstances: 0,
    bytes: 0,
    durationMs: 0,
    filesPerSecond: 0,
    modalities: [],
    institutions: [],
    errors: [],
  };
  const created: Created = { patients: 0, studies: 0, series: 0, instances: 0 };
  const modalities = new Set<string>();
  const institutions = new Set<string>();
  const durability = options.durability ?? defaultDurability();
  const writer = new IndexWriter({
    db,
    catalog,
    created,
    beforeCommit: async (files) => {
      if (durability !== 'batch' || mode !== 'copy') return;
      try {
        await syncFilesystem(paths.dicomDir);
      } catch (error) {
        // The page cache may now hold bytes the disk never got, and a later sync can report
        // success: copies no row uses must go, or a later import would trust them (holdsContent).
        const copies = files.filter((file) => !file.linked).map((file) => file.path);
        for (const rel of catalog.unreferenced(copies)) fs.rmSync(path.join(paths.dataDir, rel), { force: true });
        throw error;
      }
    },
    afterCommit: (studies) => {
      options.onCommitted?.(studies);
      deps.onStudiesChanged?.(studies);
    },
    batchSize: BATCH_SIZE,
    batchMs: BATCH_MS,
    facilityId: options.facilityId ?? null,
  });
  let filesDone = 0;
  let filesFound = 0;
  let totalKnown = false;
  let lastProgress = 0;
  let stoppedBy: ImportReport['stoppedBy'];
  /** Files read but not imported because the disk filled up. */
  let lostToFullDisk = 0;

  const stop = (code: 'DISK_SPACE_LOW' | 'DISK_FULL', details: Record<string, unknown>) => {
    if (stoppedBy) return;
    stoppedBy = { code, ...ERROR_CATALOGUE[code] };
    log.error('import.stopped', { jobId, code, ...details });
  };
  /** True when the disk went below the floor: the import stops before it fills the disk. */
  const belowFloor = () => {
    if (!deps.disk) return false;
    try {
      deps.disk.check();
      return false;
    } catch (err) {
      if (!(err instanceof NoctisError)) throw err;
      stop('DISK_SPACE_LOW', err.details);
      return true;
    }
  };

  const problem = (path: string, code: FileProblem, message: string) => {
    if (code === 'conflict') report.conflicts++;
    else {
      report.invalid++;
      report.invalidByCode[code] = (report.invalidByCode[code] ?? 0) + 1;
    }
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push({ path, code, message });
    log.debug('import.file_problem', { jobId, path, code, message });
  };

  const progress = (force = false) => {
    const now = performance.now();
    if (!deps.onProgress || (!force && now - lastProgress < PROGRESS_MS)) return;
    lastProgress = now;
    const seconds = (now - started) / 1000;
    const filesPerSecond = seconds > 0 ? filesDone / seconds : 0;
    const left = Math.max(0, filesFound - filesDone);
    deps.onProgress({
      jobId,
      filesDone,
      filesTotal: Math.max(filesFound, filesDone),
      totalKnown,
      bytesDone: report.bytes,
      filesPerSecond: Math.round(filesPerSecond),
      bytesPerSecond: seconds > 0 ? Math.round(report.bytes / seconds) : 0,
      etaSeconds: totalKnown && filesPerSecond > 0 && filesDone >= 20 ? Math.round(left / filesPerSecond) : null,
      imported: report.imported,
      duplicates: report.duplicates,
      conflicts: report.conflicts,
      invalid: report.invalid,
    });
  };

  const onRead = (result: ReadResult, shown: string) => {
    filesDone++;
    report.bytes += result.size;
    if (!result.ok) {
      if (isDiskFull({ code: result.errno })) {
        // Not the file's fault: it is not listed as a problem, the job stops.
        lostToFullDisk++;
        stop('DISK_FULL', { path: result.path });
      } else if (result.code === 'dicomdir') report.skipped++;
      else problem(shown, result.code, result.message);
      return;
    }
    const { header } = result;
    const outcome = ingestRead(writer, result, { linked: mode === 'link', shownPath: shown, rememberSource: true });
    if (outcome.kind === 'duplicate') {
      report.duplicates++;
      return;
    }
    if (header.modality) modalities.add(header.modality);
    if (header.institutionName) institutions.add(header.institutionName);
    if (outcome.kind === 'conflict') {
      problem(shown, 'conflict', `Same SOPInstanceUID ${header.sopInstanceUid} as a stored file, different content: kept as a conflict.`);
      return;
    }
    report.imported++;
  };

  const uploadDir = options.upload ? path.join(paths.tmpDir, 'uploads', options.upload) : undefined;
  const plan = await planImport(uploadDir ? [...inputs, uploadDir] : inputs, paths.tmpDir, paths.dicomDir);
  const shownPath = (file: string) =>
    uploadDir && file.startsWith(uploadDir + path.sep) ? path.join('dropped files', path.relative(uploadDir, file)) : plan.displayPath(file);
  report.source = plan.source;
  report.notes = plan.notes;
  // Started on the first file that needs reading: a re-import of unchanged files needs none.
  let pool: WorkerPool<ReadTask, ReadResult> | undefined;
  const poolSize = options.workers ?? defaultPoolSize();
  const window = poolSize * 4;
  const inFlight = new Set<Promise<void>>();

  // A second, cheap walk counts the files for the progress bar while the import runs.
  const counting = (async () => {
    let n = 0;
    for await (const entry of plan.entries()) {
      if (options.signal?.aborted) return;
      if (entry.kind === 'file') n++;
      filesFound = Math.max(filesFound, n);
    }
    totalKnown = true;
  })();

  try {
    for await (const entry of plan.entries()) {
      if (options.signal?.aborted || stoppedBy) break;
      if (writer.failure !== undefined) break; // its last commit below throws the same error
      report.totalFiles++;
      filesFound = Math.max(filesFound, report.totalFiles);
      const shown = shownPath(entry.path);
      if (entry.kind === 'error') {
        filesDone++;
        problem(shown, entry.error.code === 'EACCES' || entry.error.code === 'EPERM' ? 'unreadable' : 'io_error', `Cannot open (${entry.error.code ?? entry.error.message}).`);
        continue;
      }
      const knownSize = unchangedKnownSource(catalog, writer, entry.path);
      if (knownSize !== undefined) {
        // Unchanged since an earlier import (same path, size and mtime) and still indexed.
        filesDone++;
        report.duplicates++;
        report.bytes += knownSize;
        progress();
        continue;
      }
      if (belowFloor()) {
        report.totalFiles--;
        break;
      }
      const task: ReadTask = { path: entry.path, mode, dataDir: paths.dataDir, tmpDir: paths.tmpDir, durable: durability === 'file' };
      pool ??= new WorkerPool<ReadTask, ReadResult>(importWorkerEntry(), poolSize);
      const job = pool
        .run(task)
        .catch((err: unknown): ReadResult => {
          log.error('import.reader_died', { jobId, path: entry.path, error: err });
          return { ok: false, path: entry.path, code: 'corrupt', message: 'Reading this file stopped the reader; it was skipped.', size: 0 };
        })
        .then((result) => {
          onRead(result, shown);
          progress();
        });
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
      if (inFlight.size >= window) await Promise.race(inFlight);
      writer.tick();
    }
    await Promise.all(inFlight);
    await writer.commit();
    report.status = stoppedBy ? 'failed' : options.signal?.aborted ? 'cancelled' : 'completed';
  } catch (err) {
    await Promise.allSettled(inFlight);
    await writer.commit().catch(() => undefined);
    report.status = 'failed';
    if (!isDiskFull(err)) {
      log.error('import.failed', { jobId, error: err });
      throw err;
    }
    // The index could not grow (SQLITE_FULL): the batch was rolled back, files stay unindexed.
    lostToFullDisk += report.imported - writer.written;
    report.imported = writer.written;
    stop('DISK_FULL', { error: err });
  } finally {
    await counting.catch(() => undefined);
    await pool?.close();
    plan.cleanup();
    if (uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true });
    if (stoppedBy) {
      report.stoppedBy = stoppedBy;
      report.notes.push(`Stopped early: ${stoppedBy.message}`);
      if (lostToFullDisk > 0) report.notes.push(`${lostToFullDisk} files were read but not imported for lack of disk space.`);
    }
    report.createdPatients = created.patients;
    report.createdStudies = created.studies;
    report.createdSeries = created.series;
    report.createdInstances = created.instances;
    report.modalities = [...modalities].sort();
    report.institutions = [...institutions].sort();
    report.durationMs = Math.round(performance.now() - started);
    report.filesPerSecond = report.durationMs > 0 ? Math.round((report.totalFiles * 1000) / report.durationMs) : report.totalFiles;
    history.finish(report);
    progress(true);
    log.info('import.finished', { ...report, errors: report.errors.length, notes: report.notes });
  }
  return report;
}

/**
 * The size of a file an earlier import read, when it is unchanged (same path, size and mtime)
 * and its instance is still indexed with the same content; else undefined (read it).
 */
function unchangedKnownSource(catalog: Catalog, writer: IndexWriter, path: string): number | undefined {
  const record = catalog.findSource(path);
  if (!record) return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch {
    return undefined;
  }
  if (stat.size !== record.size || stat.mtimeMs !== record.mtimeMs) return undefined;
  return writer.find(record.sopInstanceUid)?.sha256 === record.sha256 ? stat.size : undefined;
}
