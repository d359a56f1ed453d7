// The log as the log viewer and `logs.query` see it: JSON lines, newest first.
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  time: string;
  level: LogLevelName;
  scope: string;
  message: string;
  /** Everything else on the line (jobId, errorId, path…). */
  context: Record<string, unknown>;
}

export interface LogQueryResult {
  entries: LogEntry[];
  /** True when older matching lines exist beyond the limit. */
  more: boolean;
  /** Folder of the log files, to open or to send to support. */
  folder: string;
}
