import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { FileProblem, ImportReport } from '../../../shared/import';
import { parseHeader, type InstanceHeader } from '../dicom/header';
import type { Catalog, Created, StoredFile } from '../store/catalog';
import type { Db } from '../store/db';
import { writeStoredFile, type StorePaths } from '../store/files';
import type { Logger } from '../log/logger';
import { walkFiles } from './walk';

export interface ImportDeps {
  db: Db;
  catalog: Catalog;
  paths: StorePaths;
  log: Logger;
  /** Called after each committed batch with the studies it touched. */
  onStudiesChanged?: (studyInstanceUids: string[]) => void;
}

/** Rows committed per transaction: large enough to be fast, small enough to show progress. */
const BATCH_SIZE = 200;
/** Problem files listed one by one in the report; the counts stay exact beyond it. */
const MAX_LISTED_ERRORS = 1000;

interface Pending {
  header: InstanceHeader;
  file: StoredFile;
}

/** Imports files and folders into the store. Every input file gets exactly one outcome. */
export async function importFiles(deps: ImportDeps, inputs: readonly string[]): Promise<ImportReport> {
  const { db, catalog, paths, log } = deps;
  const started = performance.now();
  const report: ImportReport = {
    totalFiles: 0,
    imported: 0,
    duplicates: 0,
    conflicts: 0,
    invalid: 0,
    invalidByCode: {},
    createdPatients: 0,
    createdStudies: 0,
    createdSeries: 0,
    createdInstances: 0,
    bytes: 0,
    durationMs: 0,
    filesPerSecond: 0,
    errors: [],
  };
  const created: Created = { patients: 0, studies: 0, series: 0, instances: 0 };
  // Instances read but not yet committed, by SOPInstanceUID, so that a batch dedupes itself too.
  const pending = new Map<string, Pending>();

  const problem = (path: string, code: FileProblem, message: string) => {
    if (code === 'conflict') report.conflicts++;
    else {
      report.invalid++;
      report.invalidByCode[code] = (report.invalidByCode[code] ?? 0) + 1;
    }
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push({ path, code, message });
    log.warn('import.file_problem', { path, code, message });
  };

  const flush = db.transaction((batch: Pending[]) => {
    for (const { header, file } of batch) catalog.addInstance(header, file, created);
  });
  const commit = () => {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    flush(batch);
    deps.onStudiesChanged?.([...new Set(batch.map((p) => p.header.studyInstanceUid))]);
  };

  for await (const entry of walkFiles(inputs)) {
    report.totalFiles++;
    if (entry.kind === 'error') {
      const code = entry.error.code === 'ENOENT' ? 'io_error' : 'unreadable';
      problem(entry.path, code, `Cannot open (${entry.error.code ?? entry.error.message}).`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(entry.path);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      problem(entry.path, e.code === 'EACCES' || e.code === 'EPERM' ? 'unreadable' : 'io_error', `Cannot read (${e.code}).`);
      continue;
    }
    report.bytes += bytes.length;
    const parsed = parseHeader(bytes);
    if (!parsed.ok) {
      problem(entry.path, parsed.code, parsed.message);
      continue;
    }
    const header = parsed.header;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const known = pending.get(header.sopInstanceUid)?.file ?? catalog.findInstance(header.sopInstanceUid);
    if (known && known.sha256 === sha256) {
      report.duplicates++;
      continue;
    }
    let file: StoredFile;
    try {
      file = { path: writeStoredFile(paths, sha256, bytes), size: bytes.length, sha256 };
    } catch (err) {
      problem(entry.path, 'io_error', `Cannot copy into the store (${(err as NodeJS.ErrnoException).code}).`);
      continue;
    }
    if (known) {
      commit(); // the conflict row must not precede the instance it conflicts with
      catalog.addConflict(header.sopInstanceUid, file, entry.path);
      problem(entry.path, 'conflict', `Same SOPInstanceUID ${header.sopInstanceUid} as a stored file, different content; kept as a conflict.`);
      continue;
    }
    pending.set(header.sopInstanceUid, { header, file });
    report.imported++;
    if (pending.size >= BATCH_SIZE) commit();
  }
  commit();

  report.createdPatients = created.patients;
  report.createdStudies = created.studies;
  report.createdSeries = created.series;
  report.createdInstances = created.instances;
  report.durationMs = Math.round(performance.now() - started);
  report.filesPerSecond = report.durationMs > 0 ? Math.round((report.totalFiles * 1000) / report.durationMs) : report.totalFiles;
  log.info('import.finished', { ...report, errors: report.errors.length });
  return report;
}
