// Runtime validation of every payload that crosses a process boundary.
import { z } from 'zod';
import { AUDIT_EVENT_IDS } from './audit';
import { ROLES } from './auth';
import { LOG_LEVELS } from './logs';
import { aeTitleProblem } from './network';
import { MAX_THUMBNAIL_CHARS, MEASUREMENT_TOOLS } from './viewer';
import { settingsSchema } from './settings';
import { STUDY_SORT_COLUMNS } from './studies';

const uid = z.string().regex(/^[0-9]+(\.[0-9]+)*$/, 'a DICOM UID').max(64);
const jobId = z.string().regex(/^[0-9a-f-]{36}$/, 'a job id');
const username = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits, . _ @ -');
/** Checked against the policy (length, not the username) in the core, which says why. */
const password = z.string().min(1).max(1024);
const id = z.number().int().min(1);
const text = (max: number) => z.string().trim().max(max);
const isoTime = z.iso.datetime({ offset: true });
/** A DICOM date, YYYYMMDD. */
const studyDate = z.string().regex(/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/, 'a date as YYYYMMDD');
const institutions = z.array(text(64).min(1)).max(100);
const aeTitle = z.string().trim().refine((v) => aeTitleProblem(v) === undefined, 'an AE title: 1 to 16 characters, no backslash');
/** A host name or an IP address. */
const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or IP address');
const port = z.number().int().min(1).max(65535);
const auditFilter = {
  user: text(100).optional(),
  code: z.enum(Object.keys(AUDIT_EVENT_IDS) as [keyof typeof AUDIT_EVENT_IDS]).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  patientId: text(64).optional(),
};

export const payloadSchemas = {
  'studies.search': z
    .object({
      query: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
      sort: z.object({ column: z.enum(STUDY_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) }).strict().optional(),
      filters: z
        .object({
          dateFrom: studyDate.optional(),
          dateTo: studyDate.optional(),
          modalities: z.array(z.string().trim().min(1).max(16)).max(50).optional(),
          institutions: institutions.optional(),
        })
        .strict()
        .refine((f) => !f.dateFrom || !f.dateTo || f.dateFrom <= f.dateTo, 'dateFrom after dateTo')
        .optional(),
    })
    .strict(),
  'studies.get': z.object({ studyInstanceUid: uid }).strict(),
  'import.start': z
    .object({
      paths: z.array(z.string().min(1).max(4096)).max(1000).optional(),
      /** A batch of dropped files the browser uploaded to the host. */
      upload: jobId.optional(),
      link: z.boolean().optional(),
    })
    .strict()
    .refine((p) => (p.paths?.length ?? 0) > 0 || p.upload !== undefined, 'paths or an upload'),
  'import.cancel': z.object({ jobId }).strict(),
  'import.list': z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
  'import.get': z.object({ jobId }).strict(),
  'import.pickPaths': z.object({ kind: z.enum(['folder', 'files']).optional() }).strict(),
  'app.capabilities': z.object({}).strict(),
  'health.get': z.object({}).strict(),
  /** Runs SQLite's integrity_check now and records the result. */
  'health.check': z.object({}).strict(),
  'settings.get': z.object({}).strict(),
  'settings.set': settingsSchema.partial(),
  'logs.query': z
    .object({
      /** This level and more severe ones. */
      level: z.enum(LOG_LEVELS).optional(),
      scope: z.string().max(100).optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  /** Opens the log folder in the file manager (desktop app). */
  'logs.openFolder': z.object({}).strict(),
  /** An error the window could not handle: logged with an errorId the window shows. */
  'log.report': z
    .object({
      message: z.string().max(2000),
      stack: z.string().max(20000).optional(),
      source: z.enum(['error', 'unhandledrejection', 'render']),
      url: z.string().max(2000).optional(),
    })
    .strict(),
  /** Whether the first admin must be created, and this window's session (public). */
  'auth.status': z.object({}).strict(),
  /** First run only (no account exists): creates the first admin and signs it in. */
  'auth.setup': z.object({ username, password, displayName: text(128).optional() }).strict(),
  'auth.login': z.object({ username, password }).strict(),
  'auth.logout': z.object({}).strict(),
  /** Locks this window's session now (the work underneath is kept). */
  'auth.lock': z.object({}).strict(),
  'auth.unlock': z.object({ password }).strict(),
  'auth.changePassword': z.object({ currentPassword: password, newPassword: password }).strict(),
  /** The user did something in the window (input events, throttled): keeps the session unlocked. */
  'auth.activity': z.object({}).strict(),
  'users.list': z.object({}).strict(),
  'users.create': z
    .object({
      username,
      password,
      role: z.enum(ROLES),
      displayName: text(128).optional(),
      facilityId: id.nullable().optional(),
      licenseNumber: text(64).optional(),
      specialization: text(128).optional(),
      /** Default true: the user chooses their own password at first sign-in. */
      mustChangePassword: z.boolean().optional(),
    })
    .strict(),
  'users.update': z
    .object({
      userId: id,
      role: z.enum(ROLES).optional(),
      displayName: text(128).optional(),
      facilityId: id.nullable().optional(),
      licenseNumber: text(64).optional(),
      specialization: text(128).optional(),
    })
    .strict(),
  /** Accounts are disabled, never deleted: the audit trail refers to them. */
  'users.disable': z.object({ userId: id }).strict(),
  'users.enable': z.object({ userId: id }).strict(),
  /** Sets a new password that the user must change at the next login. */
  'users.resetPassword': z.object({ userId: id, password }).strict(),
  'users.unlock': z.object({ userId: id }).strict(),
  'facilities.list': z.object({}).strict(),
  'facilities.create': z.object({ name: text(128).min(1), institutions: institutions.optional() }).strict(),
  'facilities.update': z.object({ facilityId: id, name: text(128).min(1).optional(), institutions: institutions.optional() }).strict(),
  /** Newest first; `before` is the eventId of the last event of the previous page. */
  'audit.list': z.object({ ...auditFilter, before: id.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  /** The events matching the filter, oldest first, as CSV or as DICOM audit messages (XML). */
  'audit.export': z.object({ ...auditFilter, format: z.enum(['csv', 'xml']) }).strict(),
  'audit.verify': z.object({}).strict(),
  /** The DICOM receiver as the process running it reports it. */
  'receiver.status': z.object({}).strict(),
  'nodes.list': z.object({}).strict(),
  'nodes.create': z.object({ aeTitle, host, port, description: text(128).optional() }).strict(),
  'nodes.update': z.object({ nodeId: id, aeTitle: aeTitle.optional(), host: host.optional(), port: port.optional(), description: text(128).optional() }).strict(),
  'nodes.delete': z.object({ nodeId: id }).strict(),
  /** C-ECHO to a stored node, or to an address being entered (before it is saved). */
  'nodes.echo': z
    .union([z.object({ nodeId: id }).strict(), z.object({ aeTitle, host, port }).strict()]),
  /** Sends a study, or one of its series, to a stored node as a job. */
  'send.start': z.object({ studyInstanceUid: uid, seriesInstanceUid: uid.optional(), nodeId: id }).strict(),
  'send.cancel': z.object({ jobId }).strict(),
  /** Sends again the instances that failed in that job, to the same node. */
  'send.retry': z.object({ jobId }).strict(),
  'send.list': z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
  'send.get': z.object({ jobId }).strict(),
  /** This user's measurements on a study. */
  'measurements.list': z.object({ studyInstanceUid: uid }).strict(),
  /** Creates or updates one of this user's measurements (its id is the tool's annotation UID). */
  'measurements.save': z
    .object({
      measurementId: z.string().regex(/^[0-9A-Za-z._-]{1,64}$/, 'an annotation id'),
      studyInstanceUid: uid,
      sopInstanceUid: uid,
      frame: z.number().int().min(1).max(100_000).optional(),
      tool: z.enum(MEASUREMENT_TOOLS),
      data: z.record(z.string(), z.unknown()).refine((d) => JSON.stringify(d).length <= 64_000, 'at most 64 kB of tool data'),
      label: text(200).optional(),
    })
    .strict(),
  'measurements.delete': z.object({ measurementId: z.string().regex(/^[0-9A-Za-z._-]{1,64}$/) }).strict(),
  'thumbnails.get': z.object({ seriesInstanceUids: z.array(uid).max(1000) }).strict(),
  /** A PNG data URL a window made of a series' middle image. */
  'thumbnails.put': z.object({ seriesInstanceUid: uid, png: z.string().max(MAX_THUMBNAIL_CHARS) }).strict(),
  /** Every element of an instance, for the tag browser. */
  'instances.tags': z.object({ sopInstanceUid: uid }).strict(),
  /** The viewer's share of the settings (the cache budget). */
  'viewer.config': z.object({}).strict(),
  /** The window exported an image of an instance (e.g. a PNG of a viewport): audited as an export. */
  'instances.exported': z.object({ studyInstanceUid: uid, sopInstanceUid: uid, format: z.enum(['png']) }).strict(),
} as const;

export type Channel = keyof typeof payloadSchemas;
export type Payload<C extends Channel> = z.input<(typeof payloadSchemas)[C]>;


export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(payloadSchemas, value);
}
