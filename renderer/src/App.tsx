import { useCallback, useState } from 'react';
import type { StudyDetail, StudyRow } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { api, errorInfo } from './api/client';
import { StudyList } from './features/studies/StudyList';
import { Viewport } from './features/viewer/Viewport';
import { formatPersonName } from './format';

export function App() {
  const [study, setStudy] = useState<StudyDetail | null>(null);
  const [imageIds, setImageIds] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const showError = useCallback((e: unknown) => setError(errorInfo(e)), []);

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

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">Noctis</span>
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
      {error && (
        <div className="error-toast" role="alert" data-code={error.code} data-error-id={error.errorId}>
          <strong>{error.message}</strong> {error.recovery}
          <small> (error {error.code}, id {error.errorId})</small>
          <button onClick={() => setError(null)}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
