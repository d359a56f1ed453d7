// Ingestion of instances that arrive one at a time and wait for their answer: the DICOM
// receiver's, streamed to tmp/ (hashed on the way, synced while it is inspected and moved into
// the store). The same checks and rules as an import — inspect (classify, parse the header,
// check the pixel data is all there), then duplicates, conflicts and the index — and each row is
// committed durably before the answer; instances that finish together share one commit.
import fs from 'node:fs';
import path from 'node:path';
import type { FileProblem } from '../../../shared/import';
import type { InstanceHeader } from '../dicom/header';
import { isDiskFull } from '../health/disk';
import type { Logger } from '../log/logger';
import type { ReceivedFile } from '../network/storeFile';
import type { Catalog } from '../store/catalog';
import type { Db } from '../store/db';
import { storedRelPath, type StorePaths } from '../store/files';
import { createLogSync } from '../store/logSync';
import { IndexWriter } from './indexWriter';
import { ingestRead } from './ingest';
import { inspect, moveIntoStore } from './readInstance';

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
  const log = createLogSync(db);
  const newWriter = () =>
    new IndexWriter({
      db,
      catalog,
      created: { patients: 0, studies: 0, series: 0, instances: 0 },
      beforeCommit: () => Promise.resolve(), // moveIntoStore synced each file and its folder already
      afterCommit: deps.onStudiesChanged,
      batchSize: 1000,
      batchMs: 0,
      facilityId: null,
      afterWrite: () => log.sync(),
    });
  let writer = newWriter();
  let scheduled: Promise<void> | undefined;
  /** One commit for every instance added before the event loop turns. */
  const commitSoon = (current: IndexWriter): Promise<void> =>
    (scheduled ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      scheduled = undefined;
      return current.commit();
    }));

  return {
    /** Takes a complete file of tmp/ (its sync under way) into the store and the index; `shown` names its source. */
    async ingest(file: ReceivedFile, shown: string): Promise<FileOutcome> {
      const inspected = inspect(file.size, (position, length) =>
        position === 0 && length <= file.head.length ? file.head.subarray(0, length) : position === file.size - 8 && length === 8 ? file.tail : readRange(file.path, position, length),
      );
      if (!inspected.ok) {
        fs.rmSync(file.path, { force: true });
        return { kind: 'invalid', code: inspected.code, message: inspected.message };
      }
      const known = catalog.findInstance(inspected.header.sopInstanceUid);
      if (known?.sha256 === file.sha256 && sizeOf(path.resolve(paths.dataDir, known.path)) === file.size) {
        // Sent again, and indexed already: its row was committed only once its file was durable.
        // (A stored copy gone missing or cut takes the path below, which puts this one in its place.)
        fs.rmSync(file.path, { force: true });
        return { kind: 'duplicate', header: inspected.header };
      }
      const storedPath = storedRelPath(file.sha256);
      try {
        await moveIntoStore(file.path, path.join(paths.dataDir, storedPath), file);
      } catch (error) {
        fs.rmSync(file.path, { force: true });
        if (isDiskFull(error)) return { kind: 'disk_full', message: 'The store could not take the file: the disk is full.' };
        throw error;
      }
      const current = writer;
      const result = { ok: true as const, path: file.path, header: inspected.header, sha256: file.sha256, size: file.size, mtimeMs: 0, storedPath };
      const outcome = ingestRead(current, result, { linked: false, shownPath: shown, rememberSource: false });
      if (outcome.kind === 'duplicate' && outcome.known.path !== storedPath) {
        // Same bytes as an instance indexed elsewhere (a linked file): the copy just moved in is not needed.
        fs.rmSync(path.join(paths.dataDir, storedPath), { force: true });
      }
      try {
        await commitSoon(current);
      } catch (error) {
        // A failed commit fails every later one of that writer: the next instances get a new one.
        if (writer === current) writer = newWriter();
        if (isDiskFull(error)) return { kind: 'disk_full', message: 'The index could not grow: the disk is full.' };
        throw error;
      }
      return { kind: outcome.kind, header: inspected.header };
    },
    async close(): Promise<void> {
      await writer.commit().catch(() => undefined);
      log.close();
    },
  };
}

function sizeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

/** The rare read beyond the bytes kept in memory (a header longer than them, a deflated data set). */
function readRange(file: string, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    const read = fs.readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

export type FileIngest = ReturnType<typeof createFileIngest>;
