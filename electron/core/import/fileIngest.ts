// Ingestion of single files that arrive one at a time and wait for their answer: instances the
// DICOM receiver wrote to tmp/. The same reader (in a worker thread) and the same rules as an
// import; each file's row is committed, durably, before its answer.
import fs from 'node:fs';
import path from 'node:path';
import type { FileProblem } from '../../../shared/import';
import type { InstanceHeader } from '../dicom/header';
import { isDiskFull } from '../health/disk';
import type { Logger } from '../log/logger';
import type { Catalog } from '../store/catalog';
import type { Db } from '../store/db';
import type { StorePaths } from '../store/files';
import { IndexWriter } from './indexWriter';
import { ingestRead } from './ingest';
import { importWorkerEntry, WorkerPool } from './pool';
import type { ReadResult, ReadTask } from './readInstance';

export type FileOutcome =
  | { kind: 'imported' | 'duplicate' | 'conflict'; header: InstanceHeader }
  | { kind: 'invalid'; code: FileProblem | 'dicomdir'; message: string }
  | { kind: 'disk_full'; message: string };

export interface FileIngestDeps {
  db: Db;
  catalog: Catalog;
  paths: StorePaths;
  log: Logger;
  onStudiesChanged: (studyInstanceUids: string[]) => void;
}

export function createFileIngest(deps: FileIngestDeps) {
  const { db, catalog, paths } = deps;
  let pool: WorkerPool<ReadTask, ReadResult> | undefined;
  const newWriter = () =>
    new IndexWriter({
      db,
      catalog,
      created: { patients: 0, studies: 0, series: 0, instances: 0 },
      beforeCommit: () => Promise.resolve(), // each file was synced before it was renamed in
      afterCommit: deps.onStudiesChanged,
      batchSize: 1000,
      batchMs: 0,
      facilityId: null,
      durableCommits: true,
    });
  let writer = newWriter();

  return {
    /** Moves a complete file of tmp/ into the store and indexes it; `shown` names its source. */
    async ingest(file: string, shown: string): Promise<FileOutcome> {
      pool ??= new WorkerPool<ReadTask, ReadResult>(importWorkerEntry(), 1, { unref: true });
      const task: ReadTask = { path: file, mode: 'move', dataDir: paths.dataDir, tmpDir: paths.tmpDir, durable: true };
      const result = await pool.run(task).catch((error: unknown): ReadResult => {
        deps.log.error('ingest.reader_died', { path: file, error });
        return { ok: false, path: file, code: 'corrupt', message: 'Reading this instance stopped the reader.', size: 0 };
      });
      if (!result.ok) {
        fs.rmSync(file, { force: true });
        if (isDiskFull({ code: result.errno })) return { kind: 'disk_full', message: result.message };
        return { kind: 'invalid', code: result.code, message: result.message };
      }
      const current = writer;
      const outcome = ingestRead(current, result, { linked: false, shownPath: shown, rememberSource: false });
      if (outcome.kind === 'duplicate' && outcome.known.path !== result.storedPath) {
        // Same bytes as an instance indexed elsewhere (a linked file): the copy just moved in is not needed.
        fs.rmSync(path.join(paths.dataDir, result.storedPath), { force: true });
      }
      try {
        await current.commit();
      } catch (error) {
        // A failed commit fails every later one of that writer: the next file gets a new one.
        if (writer === current) writer = newWriter();
        if (isDiskFull(error)) return { kind: 'disk_full', message: 'The index could not grow: the disk is full.' };
        throw error;
      }
      return { kind: outcome.kind, header: result.header };
    },
    async close(): Promise<void> {
      await writer.commit().catch(() => undefined);
      await pool?.close();
      pool = undefined;
    },
  };
}

export type FileIngest = ReturnType<typeof createFileIngest>;
