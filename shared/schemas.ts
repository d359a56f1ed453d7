// Runtime validation of every payload that crosses a process boundary.
import { z } from 'zod';
import { LOG_LEVELS } from './logs';
import { settingsSchema } from './settings';

const uid = z.string().regex(/^[0-9]+(\.[0-9]+)*$/, 'a DICOM UID').max(64);
const jobId = z.string().regex(/^[0-9a-f-]{36}$/, 'a job id');

export const payloadSchemas = {
  'studies.search': z
    .object({
      query: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
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
} as const;

export type Channel = keyof typeof payloadSchemas;
export type Payload<C extends Channel> = z.input<(typeof payloadSchemas)[C]>;


export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(payloadSchemas, value);
}
