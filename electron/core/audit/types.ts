// The audit trail's interface inside the core: what the rest of the core records and asks.
import type { AuditAction, AuditEventId, AuditEventType, AuditOutcome, AuditPage, AuditVerifyResult } from '../../../shared/audit';

/** One event to append; the trail adds its id, time (unless given), host and hashes. */
export interface AuditRecord {
  code: AuditEventId;
  typeCode?: AuditEventType | null;
  action: AuditAction;
  outcome: AuditOutcome;
  /** An account's username, `cli:<os user>`, or `system`. */
  user: string;
  role?: string | null;
  aeTitle?: string | null;
  patientIds?: readonly string[];
  studyUids?: readonly string[];
  description: string;
  time?: Date;
}

export interface AuditFilter {
  /** Exact username (case-insensitive). */
  user?: string;
  code?: AuditEventId;
  /** ISO times, inclusive. */
  since?: string;
  until?: string;
  patientId?: string;
}

export interface AuditExport {
  format: 'csv' | 'xml';
  filename: string;
  count: number;
  content: string;
}

export interface AuditTrail {
  /** Appends atomically (BEGIN IMMEDIATE: other processes append to the same chain); returns the eventId. */
  append(record: AuditRecord): number;
  /** Newest first, keyset-paged: `before` is the last eventId of the previous page. */
  list(filter: AuditFilter & { before?: number; limit?: number }): AuditPage;
  /** Oldest first, as CSV or as DICOM PS3.15 A.5 audit messages (XML); at most `max` events. */
  export(filter: AuditFilter, format: 'csv' | 'xml', max?: number): AuditExport;
  /** Walks the whole chain; names the first event that does not fit. */
  verify(): AuditVerifyResult;
  /** The same walk in slices that yield to the event loop (start-up check of a large trail). */
  verifyInBackground(): Promise<AuditVerifyResult>;
}
