import type { z } from 'zod';
import type { Channel, Result } from '../../../shared/api';
import type { payloadSchemas } from '../../../shared/schemas';
import { NoctisError, newErrorId } from '../errors';
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
}

type Parsed<C extends Channel> = z.output<(typeof payloadSchemas)[C]>;
export type Handler<C extends Channel> = (payload: Parsed<C>, ctx: CallContext) => Result<C> | Promise<Result<C>>;
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
}

export function createHandlers(services: Services): HandlerTable {
  const { catalog, imports, importHistory, health, integrity, settings, paths, log } = services;
  return {
    'studies.search': ({ query, limit = 200, offset = 0 }) => catalog.searchStudies(query, limit, offset),
    'studies.get': ({ studyInstanceUid }, ctx) => {
      const study = catalog.getStudy(studyInstanceUid, ctx.instanceUrl);
      if (!study) throw new NoctisError('STUDY_NOT_FOUND', { studyInstanceUid });
      return study;
    },
    'import.start': ({ paths = [], upload, link }) => ({ jobId: imports.start(paths, { link, upload }) }),
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
      return result;
    },
    'settings.get': () => settings.get(),
    'settings.set': (values) => {
      const updated = settings.set(values);
      log.info('settings.changed', { values });
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
  };
}
