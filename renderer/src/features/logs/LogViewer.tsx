import { useEffect, useState } from 'react';
import { LOG_LEVELS, type LogLevelName, type LogQueryResult } from '../../../../shared/logs';
import { api } from '../../api/client';
import { Panel } from '../../ui/Panel';

const LIMIT = 300;

/** The newest log lines, filtered by level, scope and text; the folder to open or send. */
export function LogViewer({ onClose, onError, canOpenFolder }: { onClose: () => void; onError: (e: unknown) => void; canOpenFolder: boolean }) {
  const [level, setLevel] = useState<LogLevelName>('info');
  const [scope, setScope] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState<LogQueryResult | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      api()
        .invoke('logs.query', { level, scope: scope.trim() || undefined, text: text.trim() || undefined, limit: LIMIT })
        .then(setResult)
        .catch(onError);
    }, 150);
    return () => clearTimeout(timer);
  }, [level, scope, text, onError]);

  const openFolder = () => void api().invoke('logs.openFolder', {}).catch(onError);

  return (
    <Panel
      title="Log"
      testId="log-viewer"
      onClose={onClose}
      actions={canOpenFolder && <button onClick={openFolder}>Open folder</button>}
    >
      <div className="log-filters">
        <select aria-label="Level" data-testid="log-level" value={level} onChange={(e) => setLevel(e.target.value as LogLevelName)}>
          {LOG_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l} and above
            </option>
          ))}
        </select>
        <input aria-label="Scope" data-testid="log-scope" placeholder="scope (import, api…)" value={scope} onChange={(e) => setScope(e.target.value)} />
        <input aria-label="Text" data-testid="log-text" placeholder="text, error id, path…" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {result && (
        <>
          <table className="log-table">
            <tbody>
              {result.entries.map((e, i) => (
                <tr key={`${e.time}-${i}`} data-testid="log-row" data-level={e.level} className={`level-${e.level}`} onClick={() => setOpen(open === i ? null : i)}>
                  <td className="log-time">{e.time.replace('T', ' ').slice(0, 23)}</td>
                  <td>{e.level}</td>
                  <td>{e.scope}</td>
                  <td className="log-message">
                    {e.message}
                    {open === i ? <pre>{JSON.stringify(e.context, null, 2)}</pre> : <span className="log-context"> {JSON.stringify(e.context)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            {result.entries.length === 0 ? 'No matching lines.' : `${result.entries.length} newest matching lines${result.more ? ' (older ones exist)' : ''}.`} Files in{' '}
            <span className="path">{result.folder}</span>
          </p>
        </>
      )}
    </Panel>
  );
}
