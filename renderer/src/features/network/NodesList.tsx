import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { DicomNode, EchoResult } from '../../../../shared/network';
import { api } from '../../api/client';

interface Props {
  /** Admins add and remove nodes; others only see and test them. */
  editable: boolean;
  onError: (e: unknown) => void;
}

/** The DICOM nodes, each with a Test button (C-ECHO and its round trip). */
export function NodesList({ editable, onError }: Props) {
  const [nodes, setNodes] = useState<DicomNode[]>([]);
  const [echo, setEcho] = useState<Record<number, EchoResult | 'running'>>({});
  const [form, setForm] = useState({ aeTitle: '', host: '', port: '104', description: '' });

  const load = useCallback(() => {
    api().invoke('nodes.list', {}).then(setNodes).catch(onError);
  }, [onError]);
  useEffect(load, [load]);

  const test = (node: DicomNode) => {
    setEcho((e) => ({ ...e, [node.nodeId]: 'running' }));
    api()
      .invoke('nodes.echo', { nodeId: node.nodeId })
      .then((result) => setEcho((e) => ({ ...e, [node.nodeId]: result })))
      .catch((err: unknown) => {
        setEcho((e) => ({ ...e, [node.nodeId]: { ok: false, roundTripMs: 0, message: 'The test could not run.' } }));
        onError(err);
      });
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    api()
      .invoke('nodes.create', { aeTitle: form.aeTitle.trim(), host: form.host.trim(), port: Number(form.port), description: form.description.trim() })
      .then(() => {
        setForm({ aeTitle: '', host: '', port: '104', description: '' });
        load();
      })
      .catch(onError);
  };

  const remove = (node: DicomNode) => {
    api().invoke('nodes.delete', { nodeId: node.nodeId }).then(load).catch(onError);
  };

  return (
    <div className="nodes">
      <table className="nodes-table">
        <thead>
          <tr>
            <th>AE title</th>
            <th>Host</th>
            <th className="num">Port</th>
            <th>Description</th>
            <th>Test</th>
            {editable && <th />}
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => {
            const result = echo[node.nodeId];
            return (
              <tr key={node.nodeId} data-testid="node-row" data-aet={node.aeTitle}>
                <td>{node.aeTitle}</td>
                <td>{node.host}</td>
                <td className="num">{node.port}</td>
                <td>{node.description}</td>
                <td>
                  <button data-testid="node-echo" onClick={() => test(node)} disabled={result === 'running'}>
                    Test
                  </button>{' '}
                  {result && result !== 'running' && (
                    <span data-testid="node-echo-result" data-ok={result.ok ? 'true' : 'false'} className={result.ok ? 'ok' : 'warn'}>
                      {result.ok ? `OK, ${result.roundTripMs} ms` : result.message}
                    </span>
                  )}
                  {result === 'running' && <span className="hint">Testing…</span>}
                </td>
                {editable && (
                  <td>
                    <button data-testid="node-delete" onClick={() => remove(node)} aria-label={`Remove ${node.aeTitle}`}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {nodes.length === 0 && <p className="hint">No DICOM nodes yet.</p>}
      {editable && (
        <form className="node-form" onSubmit={add}>
          <input data-testid="node-aet" placeholder="AE title" maxLength={16} required spellCheck={false} value={form.aeTitle} onChange={(e) => setForm({ ...form, aeTitle: e.target.value })} />
          <input data-testid="node-host" placeholder="Host or IP" required spellCheck={false} value={form.host} onChange={(e) => setForm({ ...form, host: e.target.value })} />
          <input data-testid="node-port" placeholder="Port" inputMode="numeric" required value={form.port} onChange={(e) => setForm({ ...form, port: e.target.value })} />
          <input data-testid="node-description" placeholder="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <button type="submit" data-testid="node-add">
            Add node
          </button>
        </form>
      )}
    </div>
  );
}
