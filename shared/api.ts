// The typed API contract between the renderer and the core. Both transports (Electron IPC and
// the local host's WebSocket) carry exactly these channels, payloads and results.
import type { AuditPage, AuditVerifyResult } from './audit';
import type { AuthStatus, FacilityRow, Permission, SessionInfo, UserChange, UserRow } from './auth';
import type { ErrorInfo } from './errors';
import type { HealthReport, IntegrityResult } from './health';
import type { ImportJobSummary, ImportProgress, ImportReport } from './import';
import type { LogQueryResult } from './logs';
import type { DicomNode, EchoResult, ReceivedNotice, ReceiverStatus, SendProgress, SendReport } from './network';
import type { Measurement, TagNode, ViewerConfig } from './viewer';
import type { Channel, Payload } from './schemas';
import type { Settings } from './settings';
import type { StudySummary } from './studies';

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
  /** Figures for every matching study, from the same call. */
  summary: StudySummary;
}

export interface InstanceRef {
  sopInstanceUid: string;
  instanceNumber: number | null;
  frames: number;
  /** Where the renderer fetches the file's bytes (noctis:// in Electron, http:// in the host). */
  url: string;
  /** ImagePositionPatient (mm), null when the file has none: the viewer syncs slices by it. */
  imagePositionPatient: number[] | null;
}

export interface SeriesDetail {
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  /** '' when the series has none: viewports sharing one scroll together when synchronised. */
  frameOfReferenceUid: string;
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
  'auth.status': AuthStatus;
  'auth.setup': SessionInfo;
  'auth.login': SessionInfo;
  'auth.logout': { loggedOut: boolean };
  'auth.lock': SessionInfo;
  'auth.unlock': SessionInfo;
  'auth.changePassword': SessionInfo;
  'auth.activity': { locked: boolean };
  'users.list': UserRow[];
  'users.create': UserChange;
  'users.update': UserChange;
  'users.disable': UserChange;
  'users.enable': UserChange;
  'users.resetPassword': UserChange;
  'users.unlock': UserChange;
  'facilities.list': FacilityRow[];
  'facilities.create': FacilityRow;
  'facilities.update': FacilityRow;
  'audit.list': AuditPage;
  'audit.export': { format: 'csv' | 'xml'; filename: string; count: number; content: string };
  'audit.verify': AuditVerifyResult;
  'receiver.status': ReceiverStatus;
  'nodes.list': DicomNode[];
  'nodes.create': DicomNode;
  'nodes.update': DicomNode;
  'nodes.delete': DicomNode;
  'nodes.echo': EchoResult;
  'send.start': { jobId: string };
  'send.cancel': { cancelled: boolean };
  'send.retry': { jobId: string };
  'send.list': SendReport[];
  'send.get': SendReport;
  'measurements.list': Measurement[];
  'measurements.save': Measurement;
  'measurements.delete': { deleted: boolean };
  /** PNG data URLs by SeriesInstanceUID, for the series that have one. */
  'thumbnails.get': Record<string, string>;
  'thumbnails.put': { saved: boolean };
  'instances.tags': TagNode[];
  'viewer.config': ViewerConfig;
  'instances.exported': { audited: boolean };
}

/**
 * What each channel needs: `public` (anyone, before signing in), `session` (any signed-in
 * user, also while locked or before a forced password change), or a permission. Total over the
 * channels, so that a new channel cannot be added without saying who may call it.
 */
export const CHANNEL_ACCESS: Readonly<Record<Channel, 'public' | 'session' | Permission>> = {
  'studies.search': 'studies.view',
  'studies.get': 'studies.view',
  'import.start': 'import',
  'import.cancel': 'import',
  'import.list': 'import',
  'import.get': 'import',
  'import.pickPaths': 'import',
  'app.capabilities': 'public',
  'health.get': 'health.view',
  'health.check': 'health.view',
  'settings.get': 'settings.manage',
  'settings.set': 'settings.manage',
  'logs.query': 'logs.view',
  'logs.openFolder': 'logs.view',
  // A window's own error report: logged (bounded) whoever is signed in, or nobody.
  'log.report': 'public',
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.login': 'public',
  'auth.logout': 'session',
  'auth.lock': 'session',
  'auth.unlock': 'session',
  'auth.changePassword': 'session',
  'auth.activity': 'session',
  'users.list': 'users.manage',
  'users.create': 'users.manage',
  'users.update': 'users.manage',
  'users.disable': 'users.manage',
  'users.enable': 'users.manage',
  'users.resetPassword': 'users.manage',
  'users.unlock': 'users.manage',
  'facilities.list': 'facilities.manage',
  'facilities.create': 'facilities.manage',
  'facilities.update': 'facilities.manage',
  'audit.list': 'audit.view',
  'audit.export': 'audit.view',
  'audit.verify': 'audit.view',
  'receiver.status': 'health.view',
  'nodes.list': 'nodes.view',
  'nodes.create': 'nodes.manage',
  'nodes.update': 'nodes.manage',
  'nodes.delete': 'nodes.manage',
  'nodes.echo': 'nodes.view',
  'send.start': 'send',
  'send.cancel': 'send',
  'send.retry': 'send',
  'send.list': 'send',
  'send.get': 'send',
  'measurements.list': 'studies.view',
  'measurements.save': 'studies.measure',
  'measurements.delete': 'studies.measure',
  'thumbnails.get': 'studies.view',
  'thumbnails.put': 'studies.view',
  'instances.tags': 'studies.view',
  'viewer.config': 'studies.view',
  // The window saves the image itself; the core audits it (and refuses roles that may not export).
  'instances.exported': 'studies.export',
};

/** Session channels that still work while the session is locked or must change its password. */
export const ALWAYS_OPEN_CHANNELS: readonly Channel[] = [
  'auth.status',
  'auth.logout',
  'auth.lock',
  'auth.unlock',
  'auth.changePassword',
  // Input while locked keeps nothing open; answering it tells the window it is locked.
  'auth.activity',
  'log.report',
  'app.capabilities',
];

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
  /** This window's session changed: locked (idle), ended (expired, logged out elsewhere) or unlocked. */
  'auth.changed': AuthStatus;
  /** The receiver started, stopped, or an association opened or closed. */
  'receiver.changed': ReceiverStatus;
  /** An association stored studies (for a notification). */
  'studies.received': ReceivedNotice;
  'send.progress': SendProgress;
  'send.finished': SendReport;
}

/** The viewer's layouts (rows x columns of viewports), as View > Layout offers them. */
export const VIEWER_LAYOUTS = ['1x1', '1x2', '2x1', '2x2'] as const;
export type ViewerLayout = (typeof VIEWER_LAYOUTS)[number];

/** What the application menu asks the window to do. */
export const APP_COMMANDS = [
  'import.folder',
  'import.files',
  'send',
  'settings',
  'health',
  'logs',
  ...VIEWER_LAYOUTS.map((layout) => `layout.${layout}` as const),
] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

/** The layout a View > Layout command asks for; undefined for other commands. */
export function viewerLayoutOf(command: AppCommand): ViewerLayout | undefined {
  return VIEWER_LAYOUTS.find((layout) => command === `layout.${layout}`);
}

export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = [
  'studies.changed',
  'import.progress',
  'import.finished',
  'app.command',
  'auth.changed',
  'receiver.changed',
  'studies.received',
  'send.progress',
  'send.finished',
];

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
