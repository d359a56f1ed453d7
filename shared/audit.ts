// The audit trail, modelled on DICOM PS3.15 A.5 (audit messages) with the DCM codes of PS3.16:
// each event has an EventID, optional EventTypeCodes, an action, an outcome, the people and
// nodes taking part, and the objects (patients, studies) it touched.

/** EventID (DCM code system). */
export const AUDIT_EVENT_IDS = {
  '110100': 'Application Activity',
  '110101': 'Audit Log Used',
  '110102': 'Begin Transferring DICOM Instances',
  '110103': 'DICOM Instances Accessed',
  '110104': 'DICOM Instances Transferred',
  '110105': 'DICOM Study Deleted',
  '110106': 'Export',
  '110107': 'Import',
  '110108': 'Network Entry',
  '110112': 'Query',
  '110113': 'Security Alert',
  '110114': 'User Authentication',
} as const;
export type AuditEventId = keyof typeof AUDIT_EVENT_IDS;

/** EventTypeCode (DCM), refining the EventID. */
export const AUDIT_EVENT_TYPES = {
  '110120': 'Application Start',
  '110121': 'Application Stop',
  '110122': 'Login',
  '110126': 'Node Authentication',
  '110123': 'Logout',
  '110127': 'Emergency Override Started',
  '110129': 'Security Configuration',
  '110132': 'Use of Restricted Function',
  '110136': 'Security Roles Changed',
  '110137': 'User Security Attributes Changed',
  '110135': 'Object Security Attributes Changed',
} as const;
export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;

/** EventActionCode: Create, Read, Update, Delete, Execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** EventOutcomeIndicator: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type AuditOutcome = 0 | 4 | 8 | 12;

export function isAuditEventId(value: unknown): value is AuditEventId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(AUDIT_EVENT_IDS, value);
}

/** One event as the viewer, the CLI and the exports see it. */
export interface AuditEvent {
  /** Its place in the chain: 1, 2, 3… with no gaps. */
  eventId: number;
  time: string;
  code: AuditEventId;
  typeCode: AuditEventType | null;
  action: AuditAction;
  outcome: AuditOutcome;
  /** The user: an account's username, `cli:<os user>` for the command line, `system` for the app. */
  user: string;
  role: string | null;
  /** The workstation (host name) and, for network events, the remote AE title. */
  host: string;
  aeTitle: string | null;
  patientIds: string[];
  studyUids: string[];
  description: string;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null at the oldest event. */
  nextBefore: number | null;
}

export type AuditProblem = 'edited' | 'deleted' | 'inserted' | 'reordered';

export interface AuditVerifyResult {
  ok: boolean;
  /** Events read. */
  checked: number;
  /** The first event that does not fit the chain, and how. */
  firstBad: { eventId: number; problem: AuditProblem; detail: string } | null;
  durationMs: number;
}
