// The typed API contract between the renderer and the core. Both transports (Electron IPC and
// the local host's WebSocket) carry exactly these channels, payloads and results.
import type { ErrorInfo } from './errors';
import type { HealthReport, IntegrityResult } from './health';
import type { ImportJobSummary, ImportProgress, ImportReport } from './import';
import type { LogQueryResult } from './logs';
import type { Channel, Payload } from './schemas';
import type { Settings } from './settings';

export type { Channel, Payload } from './schemas';

export interface StudyRow {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  accessionNumber: string;
  /** L-YYYYMMDD-NNNN for a study that came without an AccessionNumber, else ''. */
  localReference: string;
  institutionName: string;
  referringPhysicianName: string;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
  /** Files kept beside this study's instances: same SOPInstanceUID, different content. */
  conflictCount: number;
}

export interface StudySearchResult {
  studies: StudyRow[];
  /** All studies matching the query, beyond the page returned. */
  total: number;
}

export interface InstanceRef {
  sopInstanceUid: string;
  instanceNumber: number | null;
  frames: number;
  /** Where the renderer fetches the file's bytes (noctis:// in Electron, http:// in the host). */
  url: string;
}

export interface SeriesDetail {
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  instances: InstanceRef[];
}

export interface StudyDetail extends StudyRow {
  series: SeriesDetail[];
}

export interface Results {
  'studies.search': StudySearchResult;
  'studies.get': StudyDetail;
  'import.start': { jobId: string };
  'import.cancel': { cancelled: boolean };
  'import.list': ImportJobSummary[];
  'import.get': ImportJobSummary;
  'import.pickPaths': { paths: string[] };
  'app.capabilities': Capabilities;
  'health.get': HealthReport;
  'health.check': IntegrityResult;
  'settings.get': Settings;
  'settings.set': Settings;
  'logs.query': LogQueryResult;
  'logs.openFolder': { opened: boolean };
  'log.report': { errorId: string };
}

/** What this window's transport can do beyond the common API. */
export interface Capabilities {
  /** Native file and folder dialogs (Electron); else the UI asks for a typed path. */
  pickPaths: boolean;
  /** Can open the log folder in the file manager. */
  openFolder: boolean;
}

export type Result<C extends Channel> = Results[C];

/** Events pushed from core to every window. */
export interface Events {
  /** The set of studies changed (an import finished or added studies). */
  'studies.changed': { studyInstanceUids: string[] };
  'import.progress': ImportProgress;
  'import.finished': ImportReport;
  /** A command from the desktop app's menu, for the window to carry out. */
  'app.command': { command: AppCommand };
}

/** What the application menu asks the window to do. */
export const APP_COMMANDS = ['import.folder', 'import.files', 'settings', 'health', 'logs'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['studies.changed', 'import.progress', 'import.finished', 'app.command'];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** The envelope every transport returns for one call. */
export type Reply<T> = { ok: true; result: T } | { ok: false; error: ErrorInfo };

/**
 * What the renderer sees as `window.noctis`, whatever the transport. A failed call rejects
 * with a plain `ErrorInfo` object (plain so that it crosses Electron's context bridge intact).
 */
export interface NoctisApi {
  invoke<C extends Channel>(channel: C, payload: Payload<C>): Promise<Result<C>>;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
  /**
   * The file-system path of a dropped File, where the transport can tell it (Electron's
   * webUtils.getPathForFile); absent in a browser, where dropped files are uploaded instead.
   */
  pathForFile?: (file: object) => string;
}

/** Where a browser window uploads dropped files: PUT {UPLOAD_ROUTE}/<batch uuid>/<relative path>. */
export const UPLOAD_ROUTE = '/uploads';

/** Name of the IPC channel that carries every call in Electron. */
export const IPC_INVOKE = 'noctis:invoke';
/** Prefix of the IPC channels that carry events in Electron. */
export const IPC_EVENT = 'noctis:event';

/** Turns a transport's reply into the call's result, or rejects with its ErrorInfo. */
export function unwrapReply<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.result;
  // A plain object, not an Error: it must cross Electron's context bridge with its fields.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw reply.error;
}
