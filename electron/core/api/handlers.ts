import type { z } from 'zod';
import type { Channel, Result } from '../../../shared/api';
import type { payloadSchemas } from '../../../shared/schemas';
import { NoctisError } from '../errors';
import type { Catalog } from '../store/catalog';

/** What a transport tells the handlers about itself. */
export interface CallContext {
  /** The URL at which this transport serves an instance's bytes. */
  instanceUrl: (sopInstanceUid: string) => string;
}

type Parsed<C extends Channel> = z.output<(typeof payloadSchemas)[C]>;
export type Handler<C extends Channel> = (payload: Parsed<C>, ctx: CallContext) => Result<C> | Promise<Result<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export function createHandlers(catalog: Catalog): HandlerTable {
  return {
    'studies.search': ({ query, limit = 200, offset = 0 }) => catalog.searchStudies(query, limit, offset),
    'studies.get': ({ studyInstanceUid }, ctx) => {
      const study = catalog.getStudy(studyInstanceUid, ctx.instanceUrl);
      if (!study) throw new NoctisError('STUDY_NOT_FOUND', { studyInstanceUid });
      return study;
    },
  };
}
