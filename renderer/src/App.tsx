import { useCallback, useState, type DragEvent } from 'react';
import type { StudyDetail, StudyRow } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { api, errorInfo } from './api/client';
import { captureDrop, uploadDropped } from './features/import/drop';
import { ImportPanel } from './features/import/ImportPanel';
import { useImport } from './features/import/useImport';
import { StudyList } from './features/studies/StudyList';
import { Viewport } from './features/viewer/Viewport';
import { formatPersonName } from './format';

export function App() {
  const [study, setStudy] = useState<StudyDetail | null>(null);
  const [imageIds, setImageIds] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const showError = useCallback((e: unknown) => setError(errorInfo(e)), []);
  const imports = useImport(showError);

  const open = useCallback(
    (row: StudyRow) => {
      api()
        .invoke('studies.get', { studyInstanceUid: row.studyInstanceUid })
        .then((detail) => {
          setStudy(detail);
          const first = detail.series.find((s) => s.instances.length > 0);
          setImageIds(first ? first.instances.map((i) => `wadouri:${i.url}`) : []);
        })
        .catch(showError);
    },
    [showError],
  );

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = captureDrop(e.dataTransfer);
    if (dropped.files.length === 0 && dropped.entries.length === 0) return;
    setImportOpen(true);
    const pathForFile = api().pathForFile;
    if (pathForFile) {
      imports.start({ paths: dropped.files.map((f) => pathForFile(f)) });
      return;
    }
    setUploading('Uploading dropped files…');
    uploadDropped(dropped, (done) => setUploading(`Uploading dropped files… ${done} sent`))
      .then(({ batch }) => imports.start({ upload: batch }))
      .catch(showError)
      .finally(() => setUploading(null));
  };

  return (
    <div
      className="app"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <header className="app-header">
        <span className="brand">Noctis</span>
        <button data-testid="import-open" onClick={() => setImportOpen((o) => !o)}>
          Import…
        </button>
        {imports.running && (
          <span className="header-progress">
            Importing {imports.running.progress?.filesDone ?? 0} / {imports.running.progress?.filesTotal ?? '…'}
          </span>
        )}
        {study && (
          <span className="study-title">
            {formatPersonName(study.patientName)} · {study.patientId} · {study.studyDescription}
          </span>
        )}
      </header>
      <main className="app-main">
        <StudyList selected={study?.studyInstanceUid ?? null} onOpen={open} onError={showError} />
        <section className="viewer">
          {study ? <Viewport imageIds={imageIds} /> : <p className="empty">Select a study to view it.</p>}
        </section>
      </main>
      {importOpen && <ImportPanel state={imports} onClose={() => setImportOpen(false)} onError={showError} />}
      {uploading && <div className="upload-status">{uploading}</div>}
      {dragging && <div className="drop-overlay">Drop files or folders to import them</div>}
      {error && (
        <div className="error-toast" role="alert" data-testid="error-toast" data-code={error.code} data-error-id={error.errorId}>
          <strong>{error.message}</strong> {error.recovery}
          <small> (error {error.code}, id {error.errorId})</small>
          <button onClick={() => setError(null)}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
