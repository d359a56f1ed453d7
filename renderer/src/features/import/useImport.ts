import { useCallback, useEffect, useState } from 'react';
import type { ImportJobSummary, ImportProgress, ImportReport } from '../../../../shared/import';
import { api, errorInfo } from '../../api/client';

export interface ImportState {
  /** The job running now, if any, with its latest progress. */
  running: { jobId: string; progress: ImportProgress | null } | null;
  /** The last finished report, shown until the next import starts. */
  report: ImportReport | null;
  history: ImportJobSummary[];
  start: (source: { paths?: string[]; upload?: string }) => void;
  cancel: () => void;
  show: (report: ImportReport) => void;
}

/** Import jobs as the UI sees them: start, progress events, cancel, report and history. */
export function useImport(onError: (error: unknown) => void, enabled = true): ImportState {
  const [running, setRunning] = useState<ImportState['running']>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [history, setHistory] = useState<ImportJobSummary[]>([]);

  const refreshHistory = useCallback(() => {
    // A role without the import permission has no history to read (the core would refuse).
    if (!enabled) return;
    api()
      .invoke('import.list', { limit: 20 })
      .then(setHistory)
      .catch((e: unknown) => onError(errorInfo(e)));
  }, [onError, enabled]);

  useEffect(() => {
    refreshHistory();
    const offProgress = api().on('import.progress', (progress) =>
      setRunning((r) => (r && r.jobId === progress.jobId ? { ...r, progress } : r)),
    );
    const offFinished = api().on('import.finished', (finished) => {
      setRunning((r) => (r && r.jobId === finished.jobId ? null : r));
      setReport((current) => current ?? finished);
      refreshHistory();
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [refreshHistory]);

  const start = useCallback(
    (source: { paths?: string[]; upload?: string }) => {
      setReport(null);
      api()
        .invoke('import.start', source)
        .then(({ jobId }) => setRunning((r) => (r?.jobId === jobId ? r : { jobId, progress: null })))
        .catch((e: unknown) => onError(errorInfo(e)));
    },
    [onError],
  );

  const cancel = useCallback(() => {
    if (!running) return;
    api()
      .invoke('import.cancel', { jobId: running.jobId })
      .catch((e: unknown) => onError(errorInfo(e)));
  }, [running, onError]);

  return { running, report, history, start, cancel, show: setReport };
}
