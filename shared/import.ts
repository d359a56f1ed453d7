// The import report: what every import (CLI, UI, network) says about what it did.

/** One stable code per input file. A contract: add codes, never rename them. */
export const FILE_OUTCOMES = [
  'imported',
  'duplicate',
  'conflict',
  'not_dicom',
  'truncated',
  'missing_uid',
  'unreadable',
  'io_error',
] as const;

export type FileOutcome = (typeof FILE_OUTCOMES)[number];

/** Outcomes that are problems worth listing file by file. */
export type FileProblem = Exclude<FileOutcome, 'imported' | 'duplicate'>;

export interface ImportError {
  path: string;
  code: FileProblem;
  message: string;
}

export interface ImportReport {
  totalFiles: number;
  imported: number;
  duplicates: number;
  conflicts: number;
  invalid: number;
  invalidByCode: Partial<Record<FileProblem, number>>;
  createdPatients: number;
  createdStudies: number;
  createdSeries: number;
  createdInstances: number;
  /** Bytes of the files read. */
  bytes: number;
  durationMs: number;
  filesPerSecond: number;
  errors: ImportError[];
}
