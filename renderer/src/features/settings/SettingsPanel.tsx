import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import { api } from '../../api/client';
import { Panel } from '../../ui/Panel';
import { NetworkSettings } from '../network/NetworkSettings';

/** The numeric settings of this form; the receiver's have a section of their own. */
type Field = 'minFreeDiskMB' | 'idleLockMinutes' | 'sessionHours' | 'viewerCacheMB';
type Draft = Record<Field, string>;

const FIELDS: { key: Field; label: string; testId: string }[] = [
  { key: 'minFreeDiskMB', label: 'Free disk space to keep (MB): imports stop below it', testId: 'settings-min-free' },
  { key: 'idleLockMinutes', label: 'Lock a window after this many minutes without input', testId: 'settings-idle-lock' },
  { key: 'sessionHours', label: 'End a session this many hours after sign-in', testId: 'settings-session-hours' },
  { key: 'viewerCacheMB', label: 'Viewer image cache (MB): prefetching stays within it', testId: 'settings-viewer-cache' },
];

function draftOf(s: Settings): Draft {
  return {
    minFreeDiskMB: String(s.minFreeDiskMB),
    idleLockMinutes: String(s.idleLockMinutes),
    sessionHours: String(s.sessionHours),
    viewerCacheMB: String(s.viewerCacheMB),
  };
}

/** Workstation settings, validated by the core. */
export function SettingsPanel({ onClose, onError, onSaved }: { onClose: () => void; onError: (e: unknown) => void; onSaved?: () => void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api()
      .invoke('settings.get', {})
      .then((s) => {
        setSettings(s);
        setDraft(draftOf(s));
      })
      .catch(onError);
  }, [onError]);

  const save = () => {
    if (!settings || !draft) return;
    setSaved(false);
    // Only what changed: a field the core does not know yet is never sent back.
    const changed: Partial<Pick<Settings, Field>> = {};
    for (const { key } of FIELDS) if (draft[key] !== String(settings[key])) changed[key] = Number(draft[key]);
    api()
      .invoke('settings.set', changed)
      .then((s) => {
        setSettings(s);
        setDraft(draftOf(s));
        setSaved(true);
        onSaved?.();
      })
      .catch(onError);
  };

  return (
    <Panel title="Settings" testId="settings-panel" onClose={onClose}>
      {draft && (
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          {FIELDS.map(({ key, label, testId }) => (
            <label key={key}>
              {label}
              <input data-testid={testId} inputMode="numeric" value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
            </label>
          ))}
          <button type="submit" data-testid="settings-save">
            Save
          </button>
          {saved && <span className="hint">Saved.</span>}
        </form>
      )}
      <NetworkSettings onError={onError} />
    </Panel>
  );
}
