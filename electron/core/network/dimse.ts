// dcmjs-dimse, set up once per process: its own console logging (every PDU at info) is turned
// into warnings and errors in our log.
import dimse from 'dcmjs-dimse';
import type { Logger } from '../log/logger';

export const { Client, Dataset, Scp, Transcoding, association, constants, requests, responses } = dimse;
export type DimseDataset = InstanceType<typeof dimse.Dataset>;
export type DimseAssociation = Parameters<InstanceType<typeof dimse.Scp>['associationRequested']>[0];
export type DimsePresentationContext = Parameters<InstanceType<typeof dimse.Scp>['createStoreWritableStream']>[0];
export type DimseCStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
export type DimseCEchoRequest = InstanceType<typeof dimse.requests.CEchoRequest>;

/** DIMSE status codes this code answers or reads (PS3.7 Annex C; some are missing from the library's list). */
export const STATUS = {
  success: 0x0000,
  /** Warning, "coercion of data elements": we use it for an instance kept as a conflict. */
  warningCoercion: 0xb000,
  outOfResources: 0xa700,
  dataSetMismatch: 0xa900,
  cannotUnderstand: 0xc000,
  processingFailure: 0x0110,
} as const;

let routed: Logger | undefined;

export function routeDimseLog(log: Logger): void {
  if (routed) return;
  routed = log;
  const { log: lib } = dimse;
  lib.methodFactory = (methodName) => (...message: unknown[]) => {
    const text = message.map(String).join(' ');
    if (methodName === 'error') routed?.warn('dimse.error', { detail: text });
    else routed?.debug('dimse.warn', { detail: text });
  };
  lib.setLevel('warn');
  lib.rebuild();
}
