import { useCallback, useEffect, useState } from 'react';
import { HEALTH_PERIODS, type HealthPeriod, type HealthReport, type PeriodCounts } from '../../../../shared/health';
import { api } from '../../api/client';
import { formatBytes, formatDuration } from '../../format';
import { Panel } from '../../ui/Panel';

const REFRESH_MS = 5000;
const PERIOD_LABELS: Record<HealthPeriod, string> = { lastHour: 'Last hour', last24Hours: '24 hours', last7Days: '7 days' };
const ROWS: [keyof PeriodCounts, string][] = [
  ['imports', 'Imports'],
  ['instancesImported', 'Instances imported'],
  ['instancesReceived', 'Instances received'],
  ['instancesSent', 'Instances sent'],
  ['apiCalls', 'API calls'],
  ['apiErrors', 'API errors'],
  ['errorRate', 'Error rate'],
];

function cell(value: number | null, key: keyof PeriodCounts): string {
  if (value === null) return '–';
  return key === 'errorRate' ? `${(value * 100).toFixed(1)} %` : value.toLocaleString();
}

/** System health, measured by the core on every refresh. */
export function HealthPanel({ onClose, onError }: { onClose: () => void; onError: (e: unknown) => void }) {
  const [health, setHealth] = useState<HealthReport | null>(null);
  const [checking, setChecking] = useState(false);

  const refresh = useCallback(() => {
    api().invoke('health.get', {}).then(setHealth).catch(onError);
  }, [onError]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const check = () => {
    setChecking(true);
    api()
      .invoke('health.check', {})
      .then(refresh, onError)
      .finally(() => setChecking(false));
  };

  return (
    <Panel title="System health" testId="health-panel" onClose={onClose} actions={<button onClick={refresh}>Refresh</button>}>
      {!health ? (
        <p className="hint">Measuring…</p>
      ) : (
        <div className="health">
          <p className={`health-status status-${health.status}`} data-testid="health-status" data-status={health.status}>
            {health.status.toUpperCase()} <small>measured {new Date(health.measuredAt).toLocaleTimeString()}</small>
          </p>
          <ul className="health-checks">
            {health.checks.map((c) => (
              <li key={c.name} data-testid="health-check" data-name={c.name} data-status={c.status}>
                <span className={`dot status-${c.status}`} aria-label={c.status} /> <strong>{c.name}</strong> {c.detail}
              </li>
            ))}
          </ul>
          <table className="health-periods">
            <thead>
              <tr>
                <th />
                {HEALTH_PERIODS.map((p) => (
                  <th key={p} className="num">
                    {PERIOD_LABELS[p]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ROWS.map(([key, label]) => (
                <tr key={key}>
                  <th>{label}</th>
                  {HEALTH_PERIODS.map((p) => (
                    <td key={p} className="num" data-testid={`health-${key}-${p}`}>
                      {cell(health.periods[p][key], key)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <dl>
            <dt>Store</dt>
            <dd data-testid="health-store">
              {health.store.studies.toLocaleString()} studies, {health.store.instances.toLocaleString()} instances,{' '}
              {formatBytes(health.store.storedBytes)} copied
              {health.store.linkedBytes > 0 && `, ${formatBytes(health.store.linkedBytes)} linked`}
            </dd>
            <dt>Disk</dt>
            <dd>
              {formatBytes(health.store.freeBytes)} free of {formatBytes(health.store.totalBytes)}; floor {formatBytes(health.store.minFreeBytes)}
            </dd>
            <dt>Database</dt>
            <dd>
              {formatBytes(health.database.bytes)};{' '}
              {health.database.integrity.checkedAt
                ? `check ${health.database.integrity.result === 'ok' ? 'ok' : 'FAILED'} ${new Date(health.database.integrity.checkedAt).toLocaleString()} (${health.database.integrity.durationMs} ms)`
                : 'never checked'}{' '}
              <button data-testid="health-check-now" onClick={check} disabled={checking}>
                {checking ? 'Checking…' : 'Check now'}
              </button>
            </dd>
            <dt>Audit trail</dt>
            <dd>{health.audit.detail}</dd>
            <dt>Receiver</dt>
            <dd data-testid="health-receiver">
              {!health.receiver.enabled
                ? 'off'
                : health.receiver.listening
                  ? `${health.receiver.aeTitle} on port ${health.receiver.port}, ${health.receiver.associations} association(s) open; ` +
                    (health.receiver.allowList.length > 0 ? `${health.receiver.allowList.length} allowed caller(s)` : 'any calling AE may store (no allow-list)')
                  : `enabled, not listening: ${health.receiver.error ?? 'no Noctis app, serve or scp process is running'}`}
            </dd>
            <dt>Running</dt>
            <dd>
              {health.processes.map((p) => `${p.kind} (pid ${p.pid}, up ${formatDuration(p.uptimeSeconds)})`).join(', ')}
              {health.uncleanStops > 0 && `; ${health.uncleanStops} unclean stop(s) in 7 days`}
            </dd>
            <dt>Data folder</dt>
            <dd className="path">{health.store.dataDir}</dd>
          </dl>
        </div>
      )}
    </Panel>
  );
}
