import type { z } from 'zod';
import type { Channel, Result } from '../../../shared/api';
import type { AuditVerifyResult } from '../../../shared/audit';
import type { payloadSchemas } from '../../../shared/schemas';
import type { Principal } from '../auth/access';
import { actorOf, studyScope } from '../auth/actor';
import type { Connection } from '../auth/sessions';
import type { AuditTrail } from '../audit/types';
import { NoctisError, newErrorId } from '../errors';
import type { ImportOptions } from '../import/importJob';
import type { ImportJobs } from '../import/jobs';
import type { Health } from '../health/collect';
import type { Integrity } from '../health/integrity';
import type { Logger } from '../log/logger';
import { queryLogs } from '../log/query';
import type { Catalog } from '../store/catalog';
import type { ImportHistory } from '../store/importHistory';
import type { SettingsStore } from '../store/settings';
import type { StorePaths } from '../store/files';

/** What a transport tells the handlers about itself. */
export interface CallContext {
  /** The URL at which this transport serves an instance's bytes. */
  instanceUrl: (sopInstanceUid: string) => string;
  /** Native open dialogs, where the transport has them (Electron). */
  pickPaths?: (kind: 'folder' | 'files') => Promise<string[]>;
  /** Opens a folder in the file manager, where the transport can (Electron). */
  openFolder?: (dir: string) => Promise<void>;
  /** The window or socket the call came through: where its session is kept. */
  connection?: Connection;
  /** Set only by the command line: a local administrator (`cli:<os user>`), no session needed. */
  local?: { user: string };
}

type Parsed<C extends Channel> = z.output<(typeof payloadSchemas)[C]>;
export type Handler<C extends Channel> = (payload: Parsed<C>, ctx: CallContext, principal: Principal) => Result<C> | Promise<Result<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export interface Services {
  catalog: Catalog;
  imports: ImportJobs;
  importHistory: ImportHistory;
  health: Health;
  integrity: Integrity;
  settings: SettingsStore;
  paths: StorePaths;
  log: Logger;
  audit: AuditTrail;
  /** Walks the audit chain now; the health report shows the result. */
  verifyAudit: () => AuditVerifyResult;
  /** Settings were changed (the receiver restarts when its own changed). */
  settingsChanged?: () => void;
  /** The facility and audit hooks of an import started by this caller. */
  importAs: (principal: Principal) => Pick<ImportOptions, 'facilityId' | 'onCommitted' | 'onFinished'>;
}

/** Instance URLs carry the session's key: the byte routes serve only what that session may see. */
function withKey(url: string, principal: Principal): string {
  return principal.kind === 'user' ? `${url}?k=${principal.session.bytesKey}` : url;
}

export function createHandlers(
  services: Services,
): Omit<
  HandlerTable,
  `auth.${string}` | `users.${string}` | `facilities.${string}` | 'receiver.status' | `nodes.${string}` | `send.${string}` | `measurements.${string}` | `thumbnails.${string}` | 'instances.tags' | 'instances.exported' | 'viewer.config'
> {
  const { catalog, imports, importHistory, health, integrity, settings, paths, log, audit } = services;
  return {
    'studies.search': ({ query, limit = 200, offset = 0, sort, filters }, _ctx, principal) =>
      catalog.searchStudies({ query, limit, offset, sort, filters }, studyScope(principal)),
    'studies.get': ({ studyInstanceUid }, ctx, principal) => {
      // Another facility's study is "not found": its existence is not told either.
      const study = catalog.getStudy(studyInstanceUid, (sop) => withKey(ctx.instanceUrl(sop), principal), studyScope(principal));
      if (!study) throw new NoctisError('STUDY_NOT_FOUND', { studyInstanceUid });
      audit.append({
        ...actorOf(principal),
        code: '110103',
        action: 'R',
        outcome: 0,
        patientIds: [study.patientId],
        studyUids: [study.studyInstanceUid],
        description: 'study opened',
      });
      return study;
    },
    'import.start': ({ paths = [], upload, link }, _ctx, principal) => ({
      jobId: imports.start(paths, { link, upload, ...services.importAs(principal) }),
    }),
    'import.cancel': ({ jobId }) => ({ cancelled: imports.cancel(jobId) }),
    'import.list': ({ limit = 50 }) => importHistory.list(limit),
    'import.get': ({ jobId }) => {
      const job = importHistory.get(jobId);
      if (!job) throw new NoctisError('IMPORT_NOT_FOUND', { jobId });
      return job;
    },
    'import.pickPaths': async ({ kind = 'folder' }, ctx) => {
      if (!ctx.pickPaths) throw new NoctisError('NOT_SUPPORTED', { channel: 'import.pickPaths' });
      return { paths: await ctx.pickPaths(kind) };
    },
    'health.get': () => health.report(),
    'health.check': () => {
      const result = integrity.run();
      log[result.result === 'ok' ? 'info' : 'error']('store.integrity_checked', { ...result });
      // The audit chain is checked with the database: both say whether the store can be trusted.
      const chain = services.verifyAudit();
      log[chain.ok ? 'info' : 'error']('audit.verified', { ...chain });
      return result;
    },
    'settings.get': () => settings.get(),
    'settings.set': (values, _ctx, principal) => {
      const updated = settings.set(values);
      log.info('settings.changed', { values });
      services.settingsChanged?.();
      audit.append({
        ...actorOf(principal),
        code: '110113',
        typeCode: '110129',
        action: 'U',
        outcome: 0,
        description: `settings changed: ${Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`,
      });
      return updated;
    },
    'logs.query': (query) => queryLogs(paths.logsDir, query),
    'logs.openFolder': async (_payload, ctx) => {
      if (!ctx.openFolder) throw new NoctisError('NOT_SUPPORTED', { channel: 'logs.openFolder' });
      await ctx.openFolder(paths.logsDir);
      return { opened: true };
    },
    'log.report': ({ message, stack, source, url }) => {
      const errorId = newErrorId();
      log.error('window.error', { errorId, source, url, error: message, stack });
      return { errorId };
    },
    'app.capabilities': (_payload, ctx) => ({ pickPaths: ctx.pickPaths !== undefined, openFolder: ctx.openFolder !== undefined }),
    'audit.list': ({ before, limit = 50, ...filter }, _ctx, principal) => {
      // Reading the trail is itself audited, once per query rather than once per page.
      if (before === undefined) {
        audit.append({ ...actorOf(principal), code: '110101', action: 'R', outcome: 0, description: `audit trail viewed${describeFilter(filter)}` });
      }
      return audit.list({ ...filter, before, limit });
    },
    'audit.export': ({ format, ...filter }, _ctx, principal) => {
      const exported = audit.export(filter, format);
      audit.append({
        ...actorOf(principal),
        code: '110106',
        action: 'R',
        outcome: 0,
        description: `audit trail exported as ${format}: ${exported.count} events${describeFilter(filter)}`,
      });
      return exported;
    },
    'audit.verify': () => {
      const result = audit.verify();
      log[result.ok ? 'info' : 'error']('audit.verified', { ...result });
      return result;
    },
  };
}

function describeFilter(filter: Record<string, string | undefined>): string {
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '');
  return parts.length > 0 ? ` (${parts.map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
}
