import { useEffect, useState, type FormEvent } from 'react';
import type { ReceiverStatus } from '../../../../shared/network';
import type { Settings } from '../../../../shared/settings';
import { api } from '../../api/client';
import { formatBytes } from '../../format';
import { NodesList } from './NodesList';

interface Draft {
  enabled: boolean;
  aeTitle: string;
  port: string;
  allow: string;
  maxAssociations: string;
  timeoutSeconds: string;
}

const draftOf = (s: Settings): Draft => ({
  enabled: s.scpEnabled,
  aeTitle: s.scpAeTitle,
  port: String(s.scpPort),
  allow: s.scpAllow.join('\n'),
  maxAssociations: String(s.scpMaxAssociations),
  timeoutSeconds: String(s.scpTimeoutSeconds),
});

/** The DICOM receiver (this workstation as a C-STORE destination) and the nodes it sends to. */
export function NetworkSettings({ onError }: { onError: (e: unknown) => void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState<ReceiverStatus | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api().invoke('settings.get', {}).then((s) => setDraft(draftOf(s))).catch(onError);
    api().invoke('receiver.status', {}).then(setStatus).catch(onError);
    return api().on('receiver.changed', setStatus);
  }, [onError]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setSaved(false);
    api()
      .invoke('settings.set', {
        scpEnabled: draft.enabled,
        scpAeTitle: draft.aeTitle.trim(),
        scpPort: Number(draft.port),
        scpAllow: draft.allow.split(/[\n,]/).map((v) => v.trim()).filter(Boolean),
        scpMaxAssociations: Number(draft.maxAssociations),
        scpTimeoutSeconds: Number(draft.timeoutSeconds),
      })
      .then((s) => {
        setDraft(draftOf(s));
        setSaved(true);
      })
      .catch(onError);
  };

  return (
    <section className="network-settings" data-testid="settings-network" aria-label="DICOM network">
      <h3>DICOM receiver</h3>
      {status && <ReceiverLine status={status} />}
      {draft && (
        <form className="settings-form" onSubmit={save}>
          <label className="inline">
            <input data-testid="scp-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
            Receive studies sent to this workstation (C-STORE)
          </label>
          <label>
            AE title
            <input data-testid="scp-aet" value={draft.aeTitle} maxLength={16} spellCheck={false} onChange={(e) => setDraft({ ...draft, aeTitle: e.target.value })} />
          </label>
          <label>
            Port
            <input data-testid="scp-port" inputMode="numeric" value={draft.port} onChange={(e) => setDraft({ ...draft, port: e.target.value })} />
          </label>
          <label>
            Allowed calling AE titles (one per line, AET or AET@host; empty: any caller may store)
            <textarea data-testid="scp-allow" rows={3} spellCheck={false} value={draft.allow} onChange={(e) => setDraft({ ...draft, allow: e.target.value })} />
          </label>
          <label>
            Associations at once
            <input data-testid="scp-max-associations" inputMode="numeric" value={draft.maxAssociations} onChange={(e) => setDraft({ ...draft, maxAssociations: e.target.value })} />
          </label>
          <label>
            Abort a silent peer after (seconds)
            <input data-testid="scp-timeout" inputMode="numeric" value={draft.timeoutSeconds} onChange={(e) => setDraft({ ...draft, timeoutSeconds: e.target.value })} />
          </label>
          <button type="submit" data-testid="scp-save">
            Save receiver settings
          </button>
          {saved && <span className="hint">Saved.</span>}
        </form>
      )}
      <h3>DICOM nodes</h3>
      <p className="hint">Where studies are sent. A node must also know this workstation&apos;s AE title.</p>
      <NodesList editable onError={onError} />
    </section>
  );
}

function ReceiverLine({ status }: { status: ReceiverStatus }) {
  const state = !status.enabled ? 'off' : status.listening ? 'listening' : 'stopped';
  const who = status.allowList.length > 0 ? `${status.allowList.length} allowed caller(s)` : 'any calling AE may store';
  return (
    <p className={state === 'stopped' ? 'hint warn' : 'hint'} data-testid="scp-status" data-state={state}>
      {state === 'off' && 'The receiver is off.'}
      {state === 'stopped' && `Enabled but not listening: ${status.error ?? 'no Noctis app or scp process is running'}.`}
      {state === 'listening' &&
        `Listening as ${status.aeTitle} on port ${status.port}; ${who}. ${status.associations} association(s) open; ` +
          `${status.received.instances} instances (${formatBytes(status.received.bytes)}) received, ${status.received.failures} failed, ${status.received.rejected} refused.`}
    </p>
  );
}
