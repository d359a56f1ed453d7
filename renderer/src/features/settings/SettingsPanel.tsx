import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import { api } from '../../api/client';
import { Panel } from '../../ui/Panel';

/** Workstation settings, validated by the core. */
export function SettingsPanel({ onClose, onError }: { onClose: () => void; onError: (e: unknown) => void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [floor, setFloor] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api()
      .invoke('settings.get', {})
      .then((s) => {
        setSettings(s);
        setFloor(String(s.minFreeDiskMB));
      })
      .catch(onError);
  }, [onError]);

  const save = () => {
    setSaved(false);
    api()
      .invoke('settings.set', { minFreeDiskMB: Number(floor) })
      .then((s) => {
        setSettings(s);
        setSaved(true);
      })
      .catch(onError);
  };

  return (
    <Panel title="Settings" testId="settings-panel" onClose={onClose}>
      {settings && (
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label>
            Free disk space to keep (MB): imports stop below it
            <input data-testid="settings-min-free" inputMode="numeric" value={floor} onChange={(e) => setFloor(e.target.value)} />
          </label>
          <button type="submit">Save</button>
          {saved && <span className="hint">Saved.</span>}
        </form>
      )}
    </Panel>
  );
}
