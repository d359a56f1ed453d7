// Import history: every job, its inputs and its report, kept in the store.
import type { ImportJobSummary, ImportReport, ImportStatus } from '../../../shared/import';
import type { Db } from './db';
import { processAlive } from './runs';

interface JobRow {
  id: string;
  started_at: string;
  finished_at: string | null;
  status: ImportStatus;
  inputs: string;
  report: string | null;
}

export function createImportHistory(db: Db) {
  const insert = db.prepare<[string, string, number, string]>(
    "INSERT INTO import_jobs (id, started_at, status, pid, inputs) VALUES (?, ?, 'running', ?, ?)",
  );
  const finish = db.prepare<[string, ImportStatus, string, string]>(
    'UPDATE import_jobs SET finished_at = ?, status = ?, report = ? WHERE id = ?',
  );
  const runningJobs = db.prepare<[], { id: string; pid: number }>("SELECT id, pid FROM import_jobs WHERE status = 'running'");
  const interrupt = db.prepare<[string]>("UPDATE import_jobs SET status = 'interrupted' WHERE id = ?");
  const list = db.prepare<[number], JobRow>('SELECT * FROM import_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?');
  const get = db.prepare<[string], JobRow>('SELECT * FROM import_jobs WHERE id = ?');

  const toSummary = (row: JobRow): ImportJobSummary => ({
    jobId: row.id,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    inputs: JSON.parse(row.inputs) as string[],
    report: row.report ? (JSON.parse(row.report) as ImportReport) : null,
  });

  return {
    start(jobId: string, inputs: readonly string[]): void {
      insert.run(jobId, new Date().toISOString(), process.pid, JSON.stringify(inputs));
    },
    finish(report: ImportReport): void {
      finish.run(new Date().toISOString(), report.status, JSON.stringify(report), report.jobId);
    },
    /** Jobs "running" in a process that is gone were cut short by a crash or a kill. */
    markInterrupted(): number {
      const gone = runningJobs.all().filter((job) => job.pid !== process.pid && !processAlive(job.pid));
      for (const job of gone) interrupt.run(job.id);
      return gone.length;
    },
    list(limit: number): ImportJobSummary[] {
      return list.all(limit).map(toSummary);
    },
    get(jobId: string): ImportJobSummary | undefined {
      const row = get.get(jobId);
      return row && toSummary(row);
    },
  };
}

export type ImportHistory = ReturnType<typeof createImportHistory>;
