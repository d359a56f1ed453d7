import { useCallback, useEffect, useState, type DragEvent } from 'react';
import type { AppCommand, Capabilities, StudyDetail, StudyRow } from '../../../../shared/api';
import type { Permission, SessionInfo } from '../../../../shared/auth';
import { api } from '../../api/client';
import { formatPersonName } from '../../format';
import { AdminArea, ADMIN_PERMISSIONS } from '../admin/AdminArea';
import { ChangePassword } from '../auth/ChangePassword';
import { UserBadge } from '../auth/UserBadge';
import { HealthPanel } from '../health/HealthPanel';
import { captureDrop, uploadDropped } from '../import/drop';
import { ImportPanel } from '../import/ImportPanel';
import { useImport } from '../import/useImport';
import { LogViewer } from '../logs/LogViewer';
import { ReceivedNotices } from '../network/ReceivedNotices';
import { SendPanel } from '../network/SendPanel';
import { SettingsPanel } from '../settings/SettingsPanel';
import { StudyBrowser } from '../studies/StudyBrowser';
import { prepareViewer, Viewer } from '../viewer/Viewer';

type PanelName = 'health' | 'logs' | 'settings' | 'send';
const PANEL_PERMISSION: Record<PanelName, Permission> = { health: 'health.view', logs: 'logs.view', settings: 'settings.manage', send: 'send' };
/** Layout commands are the open viewer's (Viewer.tsx). */
const isPanel = (command: AppCommand): command is PanelName => command in PANEL_PERMISSION;

interface Props {
  session: SessionInfo;
  /** Locked: kept mounted underneath the lock screen, but ignoring menu commands. */
  locked: boolean;
  onLock: () => void;
  onSignOut: () => void;
  onError: (error: unknown) => void;
  /** Settings changed (e.g. the idle lock time): the session's figures are read again. */
  onSettingsSaved: () => void;
}

/** The signed-in window: what the session's role may do, and nothing else. */
export function Workspace({ session, locked, onLock, onSignOut, onError, onSettingsSaved }: Props) {
  const can = useCallback((p: Permission) => session.permissions.includes(p), [session.permissions]);
  const canStudies = can('studies.view');
  const canImport = can('import');
  const canAdmin = ADMIN_PERMISSIONS.some(can);
  const [view, setView] = useState<'studies' | 'admin'>(canStudies ? 'studies' : 'admin');
  const [study, setStudy] = useState<StudyDetail | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [panel, setPanel] = useState<PanelName | null>(null);
  const [changingPassword, setChangingPassword] = useState(false);
  const [capabilities, setCapabilities] = useState<Capabilities>({ pickPaths: false, openFolder: false });
  const imports = useImport(onError, canImport);
  const { start: startImport } = imports;

  useEffect(() => {
    api().invoke('app.capabilities', {}).then(setCapabilities).catch(onError);
  }, [onError]);

  // The viewer starts while the study list is read: the first study opens without waiting for it.
  useEffect(() => {
    if (canStudies) prepareViewer();
  }, [canStudies]);

  // The desktop app's menu, within what this role may do.
  useEffect(() => {
    const run = (command: AppCommand) => {
      if (locked) return;
      if (command === 'import.folder' || command === 'import.files') {
        if (!canImport) return;
        setImportOpen(true);
        api()
          .invoke('import.pickPaths', { kind: command === 'import.folder' ? 'folder' : 'files' })
          .then(({ paths }) => paths.length > 0 && startImport({ paths }))
          .catch(onError);
      } else if (isPanel(command) && can(PANEL_PERMISSION[command])) {
        setPanel(command);
      }
    };
    return api().on('app.command', ({ command }) => run(command));
  }, [onError, startImport, locked, can, canImport]);
  const toggle = (name: PanelName) => setPanel((p) => (p === name ? null : name));

  const open = useCallback(
    (row: StudyRow) => {
      api()
        .invoke('studies.get', { studyInstanceUid: row.studyInstanceUid })
        .then((detail) => {
          setStudy(detail);
        })
        .catch(onError);
    },
    [onError],
  );

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!canImport) return;
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
      .catch(onError)
      .finally(() => setUploading(null));
  };

  const showAdmin = canAdmin && (view === 'admin' || !canStudies);

  return (
    <div
      className="app"
      onDragOver={(e) => {
        e.preventDefault();
        // Files only: a series dragged onto a viewport is not an import.
        if (canImport && e.dataTransfer.types.includes('Files')) setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <header className="app-header">
        <span className="brand">Noctis</span>
        {canImport && (
          <button data-testid="import-open" onClick={() => setImportOpen((o) => !o)}>
            Import…
          </button>
        )}
        {canAdmin && canStudies && (
          <button data-testid="admin-open" aria-pressed={view === 'admin'} onClick={() => setView((v) => (v === 'admin' ? 'studies' : 'admin'))}>
            {view === 'admin' ? 'Studies' : 'Admin'}
          </button>
        )}
        {imports.running && (
          <span className="header-progress">
            Importing {imports.running.progress?.filesDone ?? 0} / {imports.running.progress?.filesTotal ?? '…'}
          </span>
        )}
        {study && !showAdmin && can('send') && (
          <button data-testid="send-open" onClick={() => toggle('send')}>
            Send…
          </button>
        )}
        {study && !showAdmin && (
          <span className="study-title">
            {formatPersonName(study.patientName)} · {study.patientId} · {study.studyDescription}
          </span>
        )}
        <span className="header-tools">
          {can('health.view') && (
            <button data-testid="health-open" onClick={() => toggle('health')}>
              Health
            </button>
          )}
          {can('logs.view') && (
            <button data-testid="logs-open" onClick={() => toggle('logs')}>
              Log
            </button>
          )}
          {can('settings.manage') && (
            <button data-testid="settings-open" onClick={() => toggle('settings')}>
              Settings
            </button>
          )}
          <UserBadge session={session} onLock={onLock} onSignOut={onSignOut} onChangePassword={() => setChangingPassword(true)} />
        </span>
      </header>
      {/* The study list and viewer stay mounted behind the admin area, so that the open study is kept. */}
      {canStudies && (
        <main className="app-main" hidden={showAdmin}>
          <StudyBrowser selected={study?.studyInstanceUid ?? null} onOpen={open} onError={onError} />
          <section className="viewer">
            {study ? (
              // Keyed by study: opening another study closes this one and frees its images.
              <Viewer key={study.studyInstanceUid} study={study} session={session} onError={onError} onClose={() => setStudy(null)} />
            ) : (
              <p className="empty">Select a study to view it.</p>
            )}
          </section>
        </main>
      )}
      {showAdmin && <AdminArea session={session} onError={onError} />}
      {!canStudies && !canAdmin && <p className="empty">This account has no work in this window. Ask an administrator about your role.</p>}
      {importOpen && canImport && (
        <ImportPanel state={imports} capabilities={capabilities} onClose={() => setImportOpen(false)} onError={onError} />
      )}
      {panel === 'health' && <HealthPanel onClose={() => setPanel(null)} onError={onError} />}
      {panel === 'logs' && <LogViewer onClose={() => setPanel(null)} onError={onError} canOpenFolder={capabilities.openFolder} />}
      {panel === 'settings' && <SettingsPanel onClose={() => setPanel(null)} onError={onError} onSaved={onSettingsSaved} />}
      {panel === 'send' && study && <SendPanel study={study} onClose={() => setPanel(null)} onError={onError} />}
      {canStudies && <ReceivedNotices />}
      {changingPassword && (
        <ChangePassword
          session={session}
          onCancel={() => setChangingPassword(false)}
          onChanged={() => setChangingPassword(false)}
          onSignOut={onSignOut}
          // A refusal may have ended the session (the account locked): the gate asks the core again.
          onRefused={onSettingsSaved}
        />
      )}
      {uploading && <div className="upload-status">{uploading}</div>}
      {dragging && <div className="drop-overlay">Drop files or folders to import them</div>}
    </div>
  );
}
