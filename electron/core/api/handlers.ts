import type { z } from 'zod';
import type { Channel, Result } from '../../../shared/api';
import type { payloadSchemas } from '../../../shared/schemas';
import { NoctisError } from '../errors';
import type { ImportJobs } from '../import/jobs';
import type { Catalog } from '../store/catalog';
import type { ImportHistory } from '../store/importHistory';

/** What a transport tells the handlers about itself. */
export interface CallContext {
  /** The URL at which this transport serves an instance's bytes. */
  instanceUrl: (sopInstanceUid: string) => string;
  /** Native open dialogs, where the transport has them (Electron). */
  pickPaths?: (kind: 'folder' | 'files') => Promise<string[]>;
}

type Parsed<C extends Channel> = z.output<(typeof payloadSchemas)[C]>;
export type Handler<C extends Channel> = (payload: Parsed<C>, ctx: CallContext) => Result<C> | Promise<Result<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export interface Services {
  catalog: Catalog;
  imports: ImportJobs;
  importHistory: ImportHistory;
}

export function createHandlers({ catalog, imports, importHistory }: Services): HandlerTable {
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
    'app.capabilities': (_payload, ctx) => ({ pickPaths: ctx.pickPaths !== undefined }),
  };
}
