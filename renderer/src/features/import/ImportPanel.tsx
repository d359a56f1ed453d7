import { useState } from 'react';
import type { Capabilities } from '../../../../shared/api';
import type { ImportProgress, ImportReport } from '../../../../shared/import';
import { api, errorInfo } from '../../api/client';
import { formatBytes, formatDuration } from '../../format';
import type { ImportState } from './useImport';

interface Props {
  state: ImportState;
  capabilities: Capabilities;
  onClose: () => void;
  onError: (error: unknown) => void;
}

/** Import: choose or type a folder, DICOMDIR, file or .zip; follow progress; read the report. */
export function ImportPanel({ state, capabilities, onClose, onError }: Props) {
  const [path, setPath] = useState('');

  const pick = (kind: 'folder' | 'files') => {
    api()
      .invoke('import.pickPaths', { kind })
      .then(({ paths }) => paths.length > 0 && state.start({ paths }))
      .catch((e: unknown) => onError(errorInfo(e)));
  };

  return (
    <div className="import-panel" role="dialog" aria-label="Import">
      <header>
        <h2>Import</h2>
        <button onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      <form
        className="import-source"
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = path.trim();
          if (trimmed) state.start({ paths: [trimmed] });
        }}
      >
        {capabilities.pickPaths && (
          <div className="import-pickers">
            <button type="button" onClick={() => pick('folder')}>
              Choose folder or disc…
            </button>
            <button type="button" onClick={() => pick('files')}>
              Choose files…
            </button>
          </div>
        )}
        <label>
          Folder, DICOMDIR, file or .zip
          <input
            data-testid="import-path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/media/cdrom"
            spellCheck={false}
          />
        </label>
        <button data-testid="import-start" type="submit" disabled={!path.trim() || state.running !== null}>
          Import
        </button>
        <p className="hint">Or drop files and folders anywhere on the window.</p>
      </form>
      {state.running && <Progress progress={state.running.progress} onCancel={state.cancel} />}
      {state.report && <Report report={state.report} />}
      {state.history.length > 0 && (
        <section className="import-history">
          <h3>Earlier imports</h3>
          <ul>
            {state.history.map((job) => (
              <li key={job.jobId}>
                <button disabled={!job.report} onClick={() => job.report && state.show(job.report)}>
                  {new Date(job.startedAt).toLocaleString()} · {job.status}
                  {job.report && ` · ${job.report.imported} imported, ${job.report.invalid + job.report.conflicts} problems`}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Progress({ progress, onCancel }: { progress: ImportProgress | null; onCancel: () => void }) {
  const done = progress?.filesDone ?? 0;
  const total = progress?.filesTotal ?? 0;
  const fraction = total > 0 ? done / total : 0;
  return (
    <section className="import-progress" data-testid="import-progress" data-done={done} data-total={total}>
      <progress value={done} max={Math.max(total, 1)} />
      <div className="import-figures">
        <span>
          {done} / {total}
          {progress && !progress.totalKnown && '+'} files ({Math.round(fraction * 100)} %)
        </span>
        {progress && (
          <span>
            {progress.filesPerSecond} files/s · {formatBytes(progress.bytesPerSecond)}/s
            {progress.etaSeconds !== null && ` · ${formatDuration(progress.etaSeconds)} left`}
          </span>
        )}
        {progress && (
          <span>
            {progress.imported} new · {progress.duplicates} already here · {progress.invalid + progress.conflicts} problems
          </span>
        )}
      </div>
      <button data-testid="import-cancel" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}

const STATUS_TEXT: Record<ImportReport['status'], string> = {
  completed: 'Import finished',
  cancelled: 'Import cancelled: what was read is kept',
  failed: 'Import failed',
  interrupted: 'Import interrupted',
  running: 'Import running',
};

function Report({ report }: { report: ImportReport }) {
  return (
    <section className="import-report" data-testid="import-report" data-status={report.status} data-job-id={report.jobId}>
      <h3>{STATUS_TEXT[report.status]}</h3>
      {report.stoppedBy && (
        <p className="import-stopped" data-testid="import-stopped" data-code={report.stoppedBy.code}>
          <strong>{report.stoppedBy.message}</strong> {report.stoppedBy.recovery}
        </p>
      )}
      <dl>
        <dt>Files</dt>
        <dd data-field="totalFiles">{report.totalFiles}</dd>
        <dt>Imported</dt>
        <dd data-field="imported">{report.imported}</dd>
        <dt>Already in the store</dt>
        <dd data-field="duplicates">{report.duplicates}</dd>
        <dt>Conflicts (same UID, other content)</dt>
        <dd data-field="conflicts">{report.conflicts}</dd>
        <dt>Not imported</dt>
        <dd data-field="invalid">{report.invalid}</dd>
        <dt>New studies / series</dt>
        <dd>
          {report.createdStudies} / {report.createdSeries}
        </dd>
        <dt>Read</dt>
        <dd>
          {formatBytes(report.bytes)} in {formatDuration(report.durationMs / 1000)} ({report.filesPerSecond} files/s,{' '}
          {report.source})
        </dd>
        {report.modalities.length > 0 && (
          <>
            <dt>Modalities</dt>
            <dd>{report.modalities.join(', ')}</dd>
          </>
        )}
      </dl>
      {report.notes.map((note) => (
        <p key={note} className="note">
          {note}
        </p>
      ))}
      {report.errors.length > 0 && (
        <table className="import-errors">
          <thead>
            <tr>
              <th>Problem</th>
              <th>File</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e) => (
              <tr key={`${e.path}:${e.code}`} data-testid="import-error" data-code={e.code}>
                <td>{e.code}</td>
                <td className="path">{e.path}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
