import { useCallback, useEffect, useRef, useState } from 'react';
import { AUDIT_EVENT_IDS, AUDIT_EVENT_TYPES, type AuditEvent, type AuditOutcome, type AuditVerifyResult } from '../../../../shared/audit';
import { api } from '../../api/client';
import { EMPTY_FILTER, toAuditFilter, type AuditFilter, type AuditFilterInput } from './auditFilter';
import { downloadText } from './download';

const PAGE = 100;
const TYPING_MS = 250;
const OUTCOMES: Record<AuditOutcome, string> = { 0: 'success', 4: 'minor failure', 8: 'serious failure', 12: 'major failure' };

function formatTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toLocaleDateString()} ${t.toLocaleTimeString()}`;
}

/** The audit trail, newest first, one page at a time (keyset paging: each page costs the same). */
export function AuditViewer({ onError }: { onError: (e: unknown) => void }) {
  const [input, setInput] = useState<AuditFilterInput>(EMPTY_FILTER);
  const [filter, setFilter] = useState<AuditFilter>({});
  // The shown page remembers the filter it answers: a newer filter shows "loading" until its answer.
  const [shown, setShown] = useState<{ key: string; events: AuditEvent[]; nextBefore: number | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [verify, setVerify] = useState<AuditVerifyResult | 'running' | null>(null);
  const [exporting, setExporting] = useState(false);
  // Answers to an older filter are dropped: only the latest request may fill the table.
  const request = useRef(0);

  // Typing settles before the core is asked; selects and dates apply at once through the same path.
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = toAuditFilter(input);
      setFilter((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next));
    }, TYPING_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const key = JSON.stringify(filter);
  const fetchPage = useCallback(
    (before: number | undefined) => {
      const id = ++request.current;
      const forKey = JSON.stringify(filter);
      return api()
        .invoke('audit.list', { ...filter, before, limit: PAGE })
        .then((page) => {
          if (id !== request.current) return;
          setShown((prev) => ({
            key: forKey,
            events: before === undefined || prev?.key !== forKey ? page.events : [...prev.events, ...page.events],
            nextBefore: page.nextBefore,
          }));
        }, onError);
    },
    [filter, onError],
  );
  useEffect(() => {
    void fetchPage(undefined);
  }, [fetchPage]);
  const older = (before: number) => {
    setLoadingOlder(true);
    void fetchPage(before).finally(() => setLoadingOlder(false));
  };
  const events = shown?.events ?? [];
  const nextBefore = shown?.key === key ? shown.nextBefore : null;
  const loading = shown?.key !== key || loadingOlder;

  const exportAs = (format: 'csv' | 'xml') => {
    setExporting(true);
    api()
      .invoke('audit.export', { ...filter, format })
      .then((file) => downloadText(file.filename, file.content, format === 'csv' ? 'text/csv' : 'application/xml'), onError)
      .finally(() => setExporting(false));
  };

  const runVerify = () => {
    setVerify('running');
    api()
      .invoke('audit.verify', {})
      .then(setVerify, (e: unknown) => {
        setVerify(null);
        onError(e);
      });
  };

  const field = (key: keyof AuditFilterInput) => ({
    value: input[key],
    onChange: (e: { target: { value: string } }) => setInput((i) => ({ ...i, [key]: e.target.value })),
  });

  return (
    <section className="audit-viewer" data-testid="audit-viewer">
      <header className="admin-header">
        <h2>Audit trail</h2>
        <span className="panel-actions">
          <button data-testid="audit-export-csv" disabled={exporting} onClick={() => exportAs('csv')}>
            Export CSV
          </button>
          <button data-testid="audit-export-xml" disabled={exporting} onClick={() => exportAs('xml')}>
            Export DICOM XML
          </button>
          <button data-testid="audit-verify" disabled={verify === 'running'} onClick={runVerify}>
            {verify === 'running' ? 'Verifying…' : 'Verify chain'}
          </button>
        </span>
      </header>
      {verify && verify !== 'running' && (
        <p className={verify.ok ? 'audit-verify ok' : 'audit-verify bad'} role="status" data-testid="audit-verify-result" data-ok={String(verify.ok)}>
          {verify.ok
            ? `Chain intact: ${verify.checked.toLocaleString()} events checked in ${verify.durationMs} ms.`
            : `Chain broken at event ${verify.firstBad?.eventId ?? '?'} (${verify.firstBad?.problem ?? 'unknown'}): ${verify.firstBad?.detail ?? ''}`}
        </p>
      )}
      <div className="audit-filters" role="search">
        <label>
          User
          <input data-testid="audit-filter-user" type="search" autoComplete="off" {...field('user')} />
        </label>
        <label>
          Event
          <select data-testid="audit-filter-code" {...field('code')}>
            <option value="">all events</option>
            {Object.entries(AUDIT_EVENT_IDS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input data-testid="audit-filter-since" type="date" {...field('since')} />
        </label>
        <label>
          To
          <input data-testid="audit-filter-until" type="date" {...field('until')} />
        </label>
        <label>
          Patient ID
          <input data-testid="audit-filter-patient" type="search" autoComplete="off" {...field('patientId')} />
        </label>
      </div>
      <table className="admin-table audit-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Event</th>
            <th>User</th>
            <th>Outcome</th>
            <th>Patients</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.eventId} data-testid="audit-row" data-event-id={e.eventId} data-code={e.code} data-user={e.user} data-outcome={e.outcome} className={e.outcome === 0 ? undefined : 'audit-failure'}>
              <td className="num">{e.eventId}</td>
              <td className="nowrap">{formatTime(e.time)}</td>
              <td>
                {AUDIT_EVENT_IDS[e.code]}
                {e.typeCode && <small> · {AUDIT_EVENT_TYPES[e.typeCode]}</small>}
              </td>
              <td>
                {e.user}
                {e.role && <small> · {e.role}</small>}
              </td>
              <td>{OUTCOMES[e.outcome]}</td>
              <td>{e.patientIds.join(', ')}</td>
              <td>{e.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {events.length === 0 && !loading ? 'No matching events.' : `${events.length.toLocaleString()} newest matching events shown.`}{' '}
        {nextBefore !== null && (
          <button data-testid="audit-older" disabled={loading} onClick={() => older(nextBefore)}>
            Older
          </button>
        )}
        {loading && ' Loading…'}
      </p>
    </section>
  );
}
