// Imports: the report every import (CLI, UI, network) gives, its progress, and its history.

/** One stable code per input file. A contract: add codes, never rename them. */
export const FILE_OUTCOMES = [
  'imported',
  'duplicate',
  'conflict',
  'not_dicom',
  'truncated',
  /** Says it is DICOM ("DICM" prefix) but its header is malformed. */
  'corrupt',
  'missing_uid',
  'unreadable',
  'io_error',
  /** The DICOMDIR file itself: the index of a disc, not an instance. Skipped, not a problem. */
  'dicomdir',
] as const;

export type FileOutcome = (typeof FILE_OUTCOMES)[number];

/** Outcomes that are problems worth listing file by file. */
export type FileProblem = Exclude<FileOutcome, 'imported' | 'duplicate' | 'dicomdir'>;

/** How the files were found: through a DICOMDIR, by scanning folders, or as named files. */
export type ImportSource = 'dicomdir' | 'scan' | 'files';

export type ImportStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface ImportError {
  path: string;
  code: FileProblem;
  message: string;
}

export interface ImportReport {
  jobId: string;
  status: ImportStatus;
  /** copy: files copied into the store; link: indexed where they are. */
  mode: 'copy' | 'link';
  source: ImportSource;
  /** What the import decided about its sources (DICOMDIR used or not, archives). */
  notes: string[];
  totalFiles: number;
  imported: number;
  duplicates: number;
  conflicts: number;
  invalid: number;
  invalidByCode: Partial<Record<FileProblem, number>>;
  /** Files passed over on purpose (the DICOMDIR itself). */
  skipped: number;
  createdPatients: number;
  createdStudies: number;
  createdSeries: number;
  createdInstances: number;
  /** Bytes of the files read. */
  bytes: number;
  durationMs: number;
  filesPerSecond: number;
  modalities: string[];
  institutions: string[];
  /** Problem files (conflicts included), at most the first 1,000; the counts are exact. */
  errors: ImportError[];
  /** Why a failed import stopped before its end (the disk filled up, say). */
  stoppedBy?: { code: 'DISK_SPACE_LOW' | 'DISK_FULL'; message: string; recovery: string };
}

export interface ImportProgress {
  jobId: string;
  filesDone: number;
  /** Files found so far; final once `totalKnown`. */
  filesTotal: number;
  totalKnown: boolean;
  bytesDone: number;
  filesPerSecond: number;
  bytesPerSecond: number;
  /** Seconds left at the current rate; null until it can be estimated. */
  etaSeconds: number | null;
  imported: number;
  duplicates: number;
  conflicts: number;
  invalid: number;
}

export interface ImportJobSummary {
  jobId: string;
  status: ImportStatus;
  startedAt: string;
  finishedAt: string | null;
  inputs: string[];
  report: ImportReport | null;
}
