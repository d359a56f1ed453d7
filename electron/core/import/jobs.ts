// Imports as jobs: started by the API, reported by events, cancellable, one history.
import { randomUUID } from 'node:crypto';
import type { ImportProgress, ImportReport } from '../../../shared/import';
import type { DiskGuard } from '../health/disk';
import { runImport, type ImportDeps, type ImportOptions } from './importJob';

export interface ImportJobsDeps extends Omit<ImportDeps, 'onProgress'> {
  disk: DiskGuard;
  onProgress: (progress: ImportProgress) => void;
  onFinished: (report: ImportReport) => void;
}

export function createImportJobs(deps: ImportJobsDeps) {
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  const run = (inputs: readonly string[], options: Omit<ImportOptions, 'jobId'> = {}, jobId = randomUUID()) => {
    // Refused before it starts when the disk is below the floor: the caller gets DISK_SPACE_LOW.
    deps.disk.check();
    const controller = new AbortController();
    options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const done = runImport({ ...deps }, inputs, { ...options, jobId, signal: controller.signal });
    running.set(jobId, { controller, done });
    void done
      .then((report) => {
        options.onFinished?.(report);
        deps.onFinished(report);
      })
      .catch(() => undefined) // logged by runImport; the caller of run() sees the rejection
      .finally(() => running.delete(jobId));
    return { jobId, done };
  };

  return {
    /** Runs an import to its end (CLI, tests). */
    run: async (inputs: readonly string[], options?: Omit<ImportOptions, 'jobId'>) => run(inputs, options).done,
    /** Starts an import in the background (the UI): its progress and end arrive as events. */
    start(inputs: readonly string[], options?: Omit<ImportOptions, 'signal' | 'jobId'>): string {
      const { jobId, done } = run(inputs, options);
      done.catch(() => undefined);
      return jobId;
    },
    cancel(jobId: string): boolean {
      const job = running.get(jobId);
      job?.controller.abort();
      return job !== undefined;
    },
    /** Cancels every running import and waits until each has committed what it read. */
    async stopAll(): Promise<void> {
      const jobs = [...running.values()];
      for (const job of jobs) job.controller.abort();
      await Promise.allSettled(jobs.map((j) => j.done));
    },
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
