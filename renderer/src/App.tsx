import { useCallback, useEffect, useState, type DragEvent } from 'react';
import type { AppCommand, Capabilities, StudyDetail, StudyRow } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { api, errorInfo } from './api/client';
import { ErrorToast } from './features/errors/ErrorToast';
import { installErrorReporting } from './features/errors/reportError';
import { HealthPanel } from './features/health/HealthPanel';
import { captureDrop, uploadDropped } from './features/import/drop';
import { ImportPanel } from './features/import/ImportPanel';
import { useImport } from './features/import/useImport';
import { LogViewer } from './features/logs/LogViewer';
import { SettingsPanel } from './features/settings/SettingsPanel';
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
  const [panel, setPanel] = useState<'health' | 'logs' | 'settings' | null>(null);
  const [capabilities, setCapabilities] = useState<Capabilities>({ pickPaths: false, openFolder: false });
  const showError = useCallback((e: unknown) => setError(errorInfo(e)), []);
  const imports = useImport(showError);
  const { start: startImport } = imports;

  useEffect(() => installErrorReporting(setError), []);
  useEffect(() => {
    api().invoke('app.capabilities', {}).then(setCapabilities).catch(showError);
  }, [showError]);

  // The desktop app's menu.
  useEffect(() => {
    const run = (command: AppCommand) => {
      if (command === 'import.folder' || command === 'import.files') {
        setImportOpen(true);
        api()
          .invoke('import.pickPaths', { kind: command === 'import.folder' ? 'folder' : 'files' })
          .then(({ paths }) => paths.length > 0 && startImport({ paths }))
          .catch(showError);
      } else {
        setPanel(command);
      }
    };
    return api().on('app.command', ({ command }) => run(command));
  }, [showError, startImport]);
  const toggle = (name: 'health' | 'logs' | 'settings') => setPanel((p) => (p === name ? null : name));

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
        <span className="header-tools">
          <button data-testid="health-open" onClick={() => toggle('health')}>
            Health
          </button>
          <button data-testid="logs-open" onClick={() => toggle('logs')}>
            Log
          </button>
          <button data-testid="settings-open" onClick={() => toggle('settings')}>
            Settings
          </button>
        </span>
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
      {importOpen && <ImportPanel state={imports} capabilities={capabilities} onClose={() => setImportOpen(false)} onError={showError} />}
      {panel === 'health' && <HealthPanel onClose={() => setPanel(null)} onError={showError} />}
      {panel === 'logs' && <LogViewer onClose={() => setPanel(null)} onError={showError} canOpenFolder={capabilities.openFolder} />}
      {panel === 'settings' && <SettingsPanel onClose={() => setPanel(null)} onError={showError} />}
      {uploading && <div className="upload-status">{uploading}</div>}
      {dragging && <div className="drop-overlay">Drop files or folders to import them</div>}
      {error && <ErrorToast key={error.errorId} error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}
