import { isAuditEventId, type AuditEventId } from '../../../../shared/audit';

/** What the viewer's inputs hold: text as typed, dates as YYYY-MM-DD (local days). */
export interface AuditFilterInput {
  user: string;
  code: string;
  since: string;
  until: string;
  patientId: string;
}

export interface AuditFilter {
  user?: string;
  code?: AuditEventId;
  since?: string;
  until?: string;
  patientId?: string;
}

export const EMPTY_FILTER: AuditFilterInput = { user: '', code: '', since: '', until: '', patientId: '' };

/** A local day's start (or end) as an ISO instant; undefined for an empty or invalid date. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const t = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/** The payload filter: blanks left out, the date range covering whole local days. */
export function toAuditFilter(input: AuditFilterInput): AuditFilter {
  return {
    user: input.user.trim() || undefined,
    code: isAuditEventId(input.code) ? input.code : undefined,
    since: dayBound(input.since, false),
    until: dayBound(input.until, true),
    patientId: input.patientId.trim() || undefined,
  };
}
