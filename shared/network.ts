// The DICOM network node: the receiver (C-ECHO and C-STORE SCP), the nodes studies are sent to,
// and send jobs. Types and the few rules both sides of the API check (AE titles, addresses).

/** A peer Noctis sends to (and may receive from): managed by admins. */
export interface DicomNode {
  nodeId: number;
  aeTitle: string;
  host: string;
  port: number;
  description: string;
  createdAt: string;
}

/** The outcome of a C-ECHO (the "Test" button, `noctis echo`). */
export interface EchoResult {
  ok: boolean;
  /** From connecting to the end of the release, in ms. */
  roundTripMs: number;
  /** What went wrong, or 'C-ECHO succeeded'. */
  message: string;
}

/** One association the receiver served, as logged and audited when it ends. */
export interface AssociationSummary {
  callingAeTitle: string;
  host: string;
  instances: number;
  bytes: number;
  failures: number;
  durationMs: number;
  instancesPerSecond: number;
  studyInstanceUids: string[];
  /** released (A-RELEASE), aborted (A-ABORT or a dropped connection), timed out, or refused. */
  ending: 'released' | 'aborted' | 'timeout' | 'rejected' | 'error';
}

export interface ReceiverStatus {
  enabled: boolean;
  listening: boolean;
  aeTitle: string;
  port: number;
  /** Associations open now. */
  associations: number;
  /** Calling AE titles (optionally AET@host) allowed to store; empty: any caller may. */
  allowList: string[];
  /** Why it is not listening although enabled (e.g. the port is taken), else null. */
  error: string | null;
  /** Since this process started the receiver. */
  received: { instances: number; bytes: number; failures: number; associations: number; rejected: number };
}

/** A study or series received over the network, for a notification in the window. */
export interface ReceivedNotice {
  callingAeTitle: string;
  instances: number;
  failures: number;
  studies: Array<{ studyInstanceUid: string; patientName: string; studyDescription: string; instances: number }>;
}

export type SendStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface SendProgress {
  jobId: string;
  done: number;
  total: number;
  sent: number;
  warnings: number;
  failed: number;
  bytes: number;
}

export interface SendFailure {
  sopInstanceUid: string;
  /** The DIMSE status the destination answered (e.g. 0xA700), when it answered. */
  status: number | null;
  message: string;
}

export interface SendReport extends SendProgress {
  status: SendStatus;
  destination: { aeTitle: string; host: string; port: number };
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  startedAt: string;
  durationMs: number;
  instancesPerSecond: number;
  /** Instances sent as stored, and converted to a syntax the destination accepted. */
  asStored: number;
  converted: number;
  /** At most 1000 listed; `failed` counts them all. */
  failures: SendFailure[];
  /** Why the whole job stopped (no association, destination gone), else null. */
  error: string | null;
  /** The job whose failures this one retried, else null. */
  retryOf: string | null;
}

/** AE titles: 1–16 characters of the default repertoire, no backslash or control characters, not all spaces. */
export function aeTitleProblem(value: string): string | undefined {
  if (value.length === 0 || value.length > 16) return 'an AE title has 1 to 16 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\\\x00-\x1f\x7f-\uffff]/.test(value)) return 'an AE title has no backslash, control or non-ASCII characters';
  if (value.trim().length === 0) return 'an AE title is not only spaces';
  return undefined;
}

/** `AET@host:port`, the address form of `noctis send --to`. */
export function parseAeAddress(value: string): { aeTitle: string; host: string; port: number } | undefined {
  const match = /^([^@]{1,16})@(.+):(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (aeTitleProblem(match[1]) || port < 1 || port > 65535) return undefined;
  return { aeTitle: match[1], host: match[2], port };
}

/** An allow-list entry: `AET` (from any host) or `AET@host`. */
export function parseAllowEntry(value: string): { aeTitle: string; host: string | null } | undefined {
  const [aeTitle, host, ...rest] = value.trim().split('@');
  if (rest.length > 0 || aeTitleProblem(aeTitle) || host === '') return undefined;
  return { aeTitle, host: host ?? null };
}
