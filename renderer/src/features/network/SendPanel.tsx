import { useEffect, useState } from 'react';
import type { StudyDetail } from '../../../../shared/api';
import type { DicomNode, SendProgress, SendReport } from '../../../../shared/network';
import { api } from '../../api/client';
import { formatBytes, formatPersonName } from '../../format';
import { Panel } from '../../ui/Panel';

interface Props {
  study: StudyDetail;
  onClose: () => void;
  onError: (e: unknown) => void;
}

/** Send the open study (or one of its series) to a DICOM node, as a job with progress and cancel. */
export function SendPanel({ study, onClose, onError }: Props) {
  const [nodes, setNodes] = useState<DicomNode[]>([]);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [series, setSeries] = useState<string>('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<SendProgress | null>(null);
  const [report, setReport] = useState<SendReport | null>(null);
  const [history, setHistory] = useState<SendReport[]>([]);

  useEffect(() => {
    api()
      .invoke('nodes.list', {})
      .then((list) => {
        setNodes(list);
        setNodeId((id) => id ?? list[0]?.nodeId ?? null);
      })
      .catch(onError);
    api().invoke('send.list', { limit: 10 }).then(setHistory).catch(onError);
  }, [onError]);

  useEffect(() => {
    if (!jobId) return;
    const offProgress = api().on('send.progress', (p) => p.jobId === jobId && setProgress(p));
    const offFinished = api().on('send.finished', (r) => {
      if (r.jobId !== jobId) return;
      setReport(r);
      setJobId(null);
      setHistory((h) => [r, ...h.filter((x) => x.jobId !== r.jobId)].slice(0, 10));
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [jobId]);

  const started = (id: string, total: number) => {
    setReport(null);
    setProgress({ jobId: id, done: 0, total, sent: 0, warnings: 0, failed: 0, bytes: 0 });
    setJobId(id);
  };

  const send = () => {
    if (nodeId === null) return;
    const total = series ? (study.series.find((s) => s.seriesInstanceUid === series)?.instances.length ?? 0) : study.instanceCount;
    api()
      .invoke('send.start', { studyInstanceUid: study.studyInstanceUid, seriesInstanceUid: series || undefined, nodeId })
      .then(({ jobId: id }) => started(id, total))
      .catch(onError);
  };

  const retry = (previous: SendReport) => {
    api()
      .invoke('send.retry', { jobId: previous.jobId })
      .then(({ jobId: id }) => started(id, previous.failed))
      .catch(onError);
  };

  const running = jobId !== null;
  return (
    <Panel title="Send" testId="send-panel" onClose={onClose}>
      <p className="hint">
        {formatPersonName(study.patientName)} · {study.patientId} · {study.studyDescription || 'study'} · {study.instanceCount} images
      </p>
      {nodes.length === 0 ? (
        <p className="hint warn">No DICOM node to send to: an administrator adds them in Settings.</p>
      ) : (
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label>
            To
            <select data-testid="send-node" value={nodeId ?? ''} onChange={(e) => setNodeId(Number(e.target.value))}>
              {nodes.map((n) => (
                <option key={n.nodeId} value={n.nodeId}>
                  {n.aeTitle} — {n.host}:{n.port}
                  {n.description ? ` (${n.description})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            What
            <select data-testid="send-series" value={series} onChange={(e) => setSeries(e.target.value)}>
              <option value="">The whole study ({study.instanceCount} images)</option>
              {study.series.map((s) => (
                <option key={s.seriesInstanceUid} value={s.seriesInstanceUid}>
                  Series {s.seriesNumber ?? '?'} {s.modality} {s.seriesDescription} ({s.instances.length} images)
                </option>
              ))}
            </select>
          </label>
          <button type="submit" data-testid="send-start" disabled={running || nodeId === null}>
            Send
          </button>
        </form>
      )}
      {progress && (running || report) && (
        <div className="send-progress" data-testid="send-progress" data-done={progress.done} data-total={progress.total} data-state={running ? 'running' : (report?.status ?? '')}>
          <progress max={Math.max(progress.total, 1)} value={progress.done} />
          <span>
            {progress.done} / {progress.total} · {progress.sent + progress.warnings} sent · {progress.failed} failed · {formatBytes(progress.bytes)}
          </span>
          {running && (
            <button data-testid="send-cancel" onClick={() => jobId && void api().invoke('send.cancel', { jobId }).catch(onError)}>
              Cancel
            </button>
          )}
        </div>
      )}
      {report && <SendResult report={report} onRetry={() => retry(report)} />}
      {history.length > 0 && (
        <section className="send-history">
          <h3>Recent sends</h3>
          <ul>
            {history.map((r) => (
              <li key={r.jobId} data-testid="send-job" data-status={r.status}>
                {new Date(r.startedAt).toLocaleString()} · {r.destination.aeTitle} · {r.status} · {r.sent + r.warnings} of {r.total} sent
                {r.failed > 0 && !running && (
                  <button onClick={() => retry(r)} data-testid="send-retry-job">
                    Retry {r.failed} failed
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Panel>
  );
}

function SendResult({ report, onRetry }: { report: SendReport; onRetry: () => void }) {
  return (
    <div className="send-result" data-testid="send-result" data-status={report.status}>
      <p>
        <strong>{report.status === 'completed' ? 'Sent.' : report.status === 'cancelled' ? 'Cancelled.' : 'Not everything was sent.'}</strong>{' '}
        {report.sent + report.warnings} of {report.total} images to {report.destination.aeTitle} in {(report.durationMs / 1000).toFixed(1)} s
        {report.converted > 0 && ` (${report.converted} converted to a syntax the node accepts)`}.
      </p>
      {report.error && <p className="warn">{report.error}</p>}
      {report.failures.length > 0 && (
        <>
          <ul className="send-failures">
            {report.failures.slice(0, 20).map((f) => (
              <li key={f.sopInstanceUid}>
                {f.sopInstanceUid}: {f.message}
              </li>
            ))}
          </ul>
          <button data-testid="send-retry" onClick={onRetry}>
            Retry the {report.failed} failed
          </button>
        </>
      )}
    </div>
  );
}
