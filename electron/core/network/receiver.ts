// The DICOM receiver: C-ECHO and C-STORE SCP. Each instance streams to a temp file, goes through
// the import's ingestion (same reader, same duplicate and conflict rules), and is answered only
// once it is durable and indexed. A hostile or broken peer ends its own association, never the
// receiver: oversized PDUs, garbage, silence and dropped connections are each cut cleanly.
import net from 'node:net';
import type { AssociationSummary, ReceivedNotice, ReceiverStatus } from '../../../shared/network';
import { parseAllowEntry } from '../../../shared/network';
import type { Settings } from '../../../shared/settings';
import type { AuditTrail } from '../audit/types';
import type { DiskGuard } from '../health/disk';
import { isDiskFull } from '../health/disk';
import type { FileIngest, FileOutcome } from '../import/fileIngest';
import type { Logger } from '../log/logger';
import type { Metrics } from '../store/metrics';
import { negotiate } from './contexts';
import { cStoreResponsePdu } from './cstoreResponse';
import {
  constants,
  Dataset,
  responses,
  routeDimseLog,
  Scp,
  STATUS,
  type DimseAssociation,
  type DimseCEchoRequest,
  type DimseCStoreRequest,
  type DimseDataset,
  type DimsePresentationContext,
} from './dimse';
import { P_DATA_TF, PduReader } from './pduReader';
import { StoreFile, TempFiles } from './storeFile';

const { PresentationContextResult, RejectResult, RejectSource, RejectReason, Status } = constants;
const PDU_HEADER = 6;
/** CommandField of a C-STORE-RQ (PS3.7 E.1). */
const C_STORE_RQ = 0x0001;

/**
 * What the fast path below uses of dcmjs-dimse's Network (0.3.3, pinned in package.json): its
 * state of the DIMSE message being received, and the methods it calls on the last fragment.
 */
interface NetworkInternals {
  dimse: { getCommandFieldType(): number; setDataset(dataset: DimseDataset): void } | undefined;
  dimseStream: unknown;
  dimseStoreStream: StoreFile | undefined;
  lastPduTime: number | undefined;
  association: DimseAssociation;
  statistics: { addBytesReceived(bytes: number): void; addBytesSent(bytes: number): void };
  _processPdu(pdu: Buffer): Promise<void>;
  _performDimse(context: DimsePresentationContext, dimse: unknown): void;
}

export type ReceiverConfig = Pick<
  Settings,
  'scpEnabled' | 'scpAeTitle' | 'scpPort' | 'scpBindAddress' | 'scpAllow' | 'scpMaxAssociations' | 'scpMaxPduBytes' | 'scpTimeoutSeconds'
>;

export interface ReceiverDeps {
  tmpDir: string;
  settings: () => Settings;
  log: Logger;
  audit: AuditTrail;
  metrics: Metrics;
  disk: DiskGuard;
  files: FileIngest;
  /** The studies of one association, when it ends (for a notification in the window). */
  onReceived: (notice: ReceivedNotice) => void;
  onStatus: (status: ReceiverStatus) => void;
}

type Answer = { status: number; comment?: string; outcome?: FileOutcome };

/** What one association needs from the receiver. */
interface AssociationContext {
  readonly config: ReceiverConfig;
  readonly temp: TempFiles;
  admit(callingAeTitle: string, host: string): 'not_allowed' | 'busy' | undefined;
  belowFloor(): boolean;
  store(file: StoreFile, shown: string): Promise<Answer>;
  ended(scp: ReceiverScp, summary: AssociationSummary, studies: ReceivedNotice['studies']): void;
}

class ReceiverScp extends Scp {
  private readonly host: string;
  private readonly startedAt = performance.now();
  private callingAeTitle = '';
  private current: StoreFile | undefined;
  /** The presentation context of the instance being received: its response goes back on it. */
  private currentContextId: number | undefined;
  /** The empty data set each request carries (the instance itself is in its file), per syntax. */
  private readonly emptyDatasets = new Map<string, DimseDataset>();
  private ending: AssociationSummary['ending'] = 'aborted';
  private instances = 0;
  private failures = 0;
  private bytes = 0;
  private readonly studies = new Map<string, ReceivedNotice['studies'][number]>();

  constructor(
    readonly socket: net.Socket,
    private readonly ctx: AssociationContext,
  ) {
    const timeoutMs = ctx.config.scpTimeoutSeconds * 1000;
    super(socket, { associationTimeout: timeoutMs, pduTimeout: timeoutMs, connectTimeout: timeoutMs });
    // With Nagle's algorithm and delayed ACKs each small C-STORE response waits ~40 ms.
    socket.setNoDelay(true);
    this.host = normaliseHost(socket.remoteAddress);
    // The library's reader copies every chunk onto the PDU so far; ours replaces it (see pduReader).
    const internals = this as unknown as NetworkInternals;
    socket.removeAllListeners('data');
    const reader = new PduReader(
      ctx.config.scpMaxPduBytes + PDU_HEADER,
      (type, pdu) => {
        internals.lastPduTime = Date.now(); // the library's idle timeout reads it
        if (type !== P_DATA_TF || !this.storeData(internals, pdu)) void internals._processPdu(pdu);
      },
      // Through the socket's error, as any broken connection: the library's handler ends it.
      (error) => socket.destroy(error),
    );
    socket.on('data', (chunk: Buffer) => {
      internals.statistics.addBytesReceived(chunk.length);
      reader.feed(chunk);
    });
    this.on('networkError', (error: Error) => {
      if (this.ending !== 'rejected') this.ending = /timeout/i.test(error.message) ? 'timeout' : 'error';
      socket.destroy();
    });
    this.on('close', () => this.closed());
  }

  override associationRequested(association: DimseAssociation): void {
    this.callingAeTitle = association.getCallingAeTitle().trim();
    const refusal = this.ctx.admit(this.callingAeTitle, this.host);
    if (refusal) {
      this.ending = 'rejected';
      if (refusal === 'not_allowed') this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
      else this.sendAssociationReject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded);
      return;
    }
    for (const { id } of association.getPresentationContexts()) {
      const context = association.getPresentationContext(id);
      const decision = negotiate(context.getAbstractSyntaxUid(), context.getTransferSyntaxUids());
      if ('accept' in decision) context.setResult(PresentationContextResult.Accept, decision.accept);
      else if (decision.reject === 'abstract') context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
    }
    // The largest PDU we take: the peer cuts its data to fit (the guard enforces it).
    association.setMaxPduLength(this.ctx.config.scpMaxPduBytes);
    this.sendAssociationAccept();
  }

  override cEchoRequest(request: DimseCEchoRequest, callback: (response: InstanceType<typeof responses.CEchoResponse>) => void): void {
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    callback(response);
  }

  override createStoreWritableStream(context: DimsePresentationContext, request: DimseCStoreRequest): StoreFile {
    this.current?.discard();
    this.currentContextId = context.getPresentationContextId();
    const refused = this.ctx.belowFloor() ? Object.assign(new Error('below the free-space floor'), { code: 'BELOW_FLOOR' }) : undefined;
    this.current = new StoreFile(
      this.ctx.temp,
      {
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? '',
        sourceAeTitle: this.callingAeTitle,
      },
      refused,
    );
    return this.current;
  }

  override createDatasetFromStoreWritableStream(_writable: unknown, context: DimsePresentationContext, callback: (dataset: DimseDataset) => void): void {
    // The data set stays on disk: the request carries an empty one and cStoreRequest takes the file.
    const syntax = context.getAcceptedTransferSyntaxUid();
    let dataset = this.emptyDatasets.get(syntax ?? '');
    if (!dataset) this.emptyDatasets.set(syntax ?? '', (dataset = new Dataset({}, syntax)));
    callback(dataset);
  }

  override cStoreRequest(request: DimseCStoreRequest, callback: (response: InstanceType<typeof responses.CStoreResponse>) => void): void {
    const file = this.current;
    const contextId = this.currentContextId;
    this.current = undefined;
    this.currentContextId = undefined;
    const answer = ({ status, comment, outcome }: Answer) => {
      if (status === STATUS.success || status === STATUS.warningCoercion) this.instances++;
      else this.failures++;
      if (outcome && 'header' in outcome) {
        const { studyInstanceUid, patientName, studyDescription } = outcome.header;
        const instances = (this.studies.get(studyInstanceUid)?.instances ?? 0) + 1;
        this.studies.set(studyInstanceUid, { studyInstanceUid, patientName, studyDescription, instances });
      }
      if (contextId === undefined) {
        // No data set came (so no context is known): the library's own response.
        const response = responses.CStoreResponse.fromRequest(request);
        response.setStatus(status);
        if (comment) response.setErrorComment(comment.slice(0, 64));
        callback(response);
        return;
      }
      const pdu = cStoreResponsePdu({
        contextId,
        messageIdBeingRespondedTo: request.getMessageId(),
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        status,
        comment,
      });
      if (this.socket.destroyed) return;
      this.socket.write(pdu);
      (this as unknown as NetworkInternals).statistics.addBytesSent(pdu.length);
    };
    if (!file) {
      answer({ status: STATUS.processingFailure, comment: 'No data set received' });
      return;
    }
    this.bytes += file.bytes;
    this.ctx.store(file, `${this.callingAeTitle}@${this.host}`).then(answer, (error: unknown) => {
      // This instance fails; the association goes on and the next one may well succeed.
      answer({ status: STATUS.processingFailure, comment: error instanceof Error ? error.message : 'Processing failure' });
    });
  }

  /**
   * The data fragments of a C-STORE, written straight from the PDU to the instance's file
   * (the library would copy each fragment twice). Anything else — a command fragment, another
   * message, a PDU it cannot read — goes to the library: returns false.
   */
  private storeData(internals: NetworkInternals, pdu: Buffer): boolean {
    const { dimse } = internals;
    if (!dimse || dimse.getCommandFieldType() !== C_STORE_RQ) return false;
    const fragments: Array<{ contextId: number; last: boolean; value: Buffer }> = [];
    for (let offset = PDU_HEADER; offset < pdu.length; ) {
      if (offset + 6 > pdu.length) return false;
      const length = pdu.readUInt32BE(offset);
      const control = pdu[offset + 5];
      if (length < 2 || offset + 4 + length > pdu.length || (control & 0x01) !== 0) return false;
      fragments.push({ contextId: pdu[offset + 4], last: (control & 0x02) !== 0, value: pdu.subarray(offset + 6, offset + 4 + length) });
      offset += 4 + length;
    }
    try {
      for (const fragment of fragments) {
        const context = internals.association.getPresentationContext(fragment.contextId);
        if (!internals.dimseStoreStream) {
          internals.dimseStream = undefined;
          internals.dimseStoreStream = this.createStoreWritableStream(context, dimse as unknown as DimseCStoreRequest);
        }
        internals.dimseStoreStream.write(fragment.value);
        if (!fragment.last) continue;
        const stream = internals.dimseStoreStream;
        stream.end();
        this.createDatasetFromStoreWritableStream(stream, context, (dataset) => {
          dimse.setDataset(dataset);
          internals._performDimse(context, dimse);
          internals.dimseStream = undefined;
          internals.dimseStoreStream = undefined;
          internals.dimse = undefined;
        });
      }
    } catch (error) {
      this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
    }
    return true;
  }

  override associationReleaseRequested(): void {
    this.ending = 'released';
    this.sendAssociationReleaseResponse();
  }

  override abort(): void {
    this.ending = 'aborted';
    this.socket.destroy();
  }

  private closed(): void {
    // An instance cut off mid-stream is dropped: nothing partial is ever indexed.
    this.current?.discard();
    this.current = undefined;
    const durationMs = Math.round(performance.now() - this.startedAt);
    const summary: AssociationSummary = {
      callingAeTitle: this.callingAeTitle,
      host: this.host,
      instances: this.instances,
      bytes: this.bytes,
      failures: this.failures,
      durationMs,
      instancesPerSecond: durationMs > 0 ? Math.round((this.instances * 1000) / durationMs) : 0,
      studyInstanceUids: [...this.studies.keys()],
      ending: this.ending,
    };
    this.ctx.ended(this, summary, [...this.studies.values()]);
  }
}

/** What to answer for one received instance, from its ingestion outcome. */
export function answerFor(outcome: FileOutcome): Answer {
  switch (outcome.kind) {
    case 'imported':
    case 'duplicate':
      return { status: STATUS.success, outcome };
    case 'conflict':
      return { status: STATUS.warningCoercion, comment: 'Kept as a conflict: same UID, other content', outcome };
    case 'disk_full':
      return { status: STATUS.outOfResources, comment: 'Disk full', outcome };
    case 'invalid':
      return { status: STATUS.cannotUnderstand, comment: `${outcome.code}: ${outcome.message}`, outcome };
  }
}

export function createReceiver(deps: ReceiverDeps) {
  const { log } = deps;
  routeDimseLog(log.scope('dimse'));
  let server: net.Server | undefined;
  let config: ReceiverConfig | undefined;
  let listening = false;
  let error: string | null = null;
  const open = new Set<ReceiverScp>();
  const received = { instances: 0, bytes: 0, failures: 0, associations: 0, rejected: 0 };

  const status = (): ReceiverStatus => {
    const current = config ?? wanted();
    return {
      enabled: current.scpEnabled,
      listening,
      aeTitle: current.scpAeTitle,
      port: (listening && (server?.address() as net.AddressInfo | null)?.port) || current.scpPort,
      associations: open.size,
      allowList: current.scpAllow,
      error,
      received: { ...received },
    };
  };
  const changed = () => deps.onStatus(status());

  let temp: TempFiles | undefined;
  const context = (cfg: ReceiverConfig, files: TempFiles): AssociationContext => ({
    config: cfg,
    temp: files,
    admit(callingAeTitle, host) {
      if (!allowed(cfg.scpAllow, callingAeTitle, host)) {
        received.rejected++;
        log.warn('scp.rejected', { callingAeTitle, host, reason: 'not in the allow-list' });
        deps.audit.append({
          code: '110113',
          typeCode: '110126',
          action: 'E',
          outcome: 4,
          user: 'system',
          aeTitle: callingAeTitle,
          description: `association refused: calling AE ${callingAeTitle} from ${host} is not in the receiver's allow-list`,
        });
        return 'not_allowed';
      }
      if (open.size > cfg.scpMaxAssociations) {
        received.rejected++;
        log.warn('scp.rejected', { callingAeTitle, host, reason: 'too many associations', open: open.size });
        return 'busy';
      }
      log.info('scp.association_started', { callingAeTitle, host, open: open.size });
      return undefined;
    },
    belowFloor() {
      try {
        deps.disk.check();
        return false;
      } catch {
        return true;
      }
    },
    async store(file, shown) {
      if (file.failure) {
        const full = file.failure.code === 'BELOW_FLOOR' || isDiskFull(file.failure);
        log.error('scp.store_failed', { source: shown, error: file.failure });
        return full
          ? { status: STATUS.outOfResources, comment: 'Disk space low: not stored' }
          : { status: STATUS.processingFailure, comment: `Cannot write (${file.failure.code ?? file.failure.message})` };
      }
      const received = file.finish();
      if (!received) {
        log.error('scp.store_failed', { source: shown, error: file.failure });
        return isDiskFull(file.failure) ? { status: STATUS.outOfResources, comment: 'Disk full' } : { status: STATUS.processingFailure, comment: 'Cannot write the file' };
      }
      const answer = answerFor(await deps.files.ingest(received, shown));
      if (answer.status === STATUS.success || answer.status === STATUS.warningCoercion) deps.metrics.count('dicom.received');
      else log.warn('scp.instance_refused', { source: shown, status: answer.status, comment: answer.comment });
      return answer;
    },
    ended(scp, summary, studies) {
      open.delete(scp);
      if (summary.ending !== 'rejected') {
        received.associations++;
        received.instances += summary.instances;
        received.failures += summary.failures;
        received.bytes += summary.bytes;
        log.info('scp.association_ended', { ...summary });
        if (summary.instances > 0 || summary.failures > 0) {
          deps.audit.append({
            code: '110104',
            action: 'C',
            outcome: summary.failures === 0 ? 0 : summary.instances > 0 ? 4 : 8,
            user: 'system',
            aeTitle: summary.callingAeTitle,
            studyUids: summary.studyInstanceUids,
            description:
              `received ${summary.instances} instances (${summary.bytes} bytes) from ${summary.callingAeTitle}@${summary.host} ` +
              `in ${(summary.durationMs / 1000).toFixed(1)} s, ${summary.failures} failed, ${summary.ending}`,
          });
        }
        if (summary.instances > 0) deps.onReceived({ callingAeTitle: summary.callingAeTitle, instances: summary.instances, failures: summary.failures, studies });
      }
      changed();
    },
  });

  const stop = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    config = undefined;
    listening = false;
    temp?.close();
    temp = undefined;
    if (!closing) return;
    // Open associations are cut: their senders see the failure and send again later.
    for (const scp of open) scp.socket.destroy();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
    log.info('scp.stopped', {});
    changed();
  };

  /** Set by `noctis scp --port/--aet/--allow`: this run only, the stored settings stay. */
  let overrides: Partial<ReceiverConfig> = {};
  const wanted = (): ReceiverConfig => ({ ...pick(deps.settings()), ...overrides });

  const start = async (runOverrides?: Partial<ReceiverConfig>): Promise<ReceiverStatus> => {
    if (runOverrides) overrides = runOverrides;
    const cfg = wanted();
    if (server) await stop();
    error = null;
    if (!cfg.scpEnabled) {
      changed();
      return status();
    }
    config = cfg;
    temp = new TempFiles(deps.tmpDir, Math.min(cfg.scpMaxAssociations, 8));
    const ctx = context(cfg, temp);
    const next = net.createServer((socket) => {
      const scp = new ReceiverScp(socket, ctx);
      open.add(scp);
      changed();
    });
    server = next;
    await new Promise<void>((resolve) => {
      next.once('listening', () => {
        listening = true;
        resolve();
      });
      next.once('error', (err: NodeJS.ErrnoException) => {
        error = err.code === 'EADDRINUSE' ? `Port ${cfg.scpPort} is already in use by another program.` : `Cannot listen on port ${cfg.scpPort}: ${err.message}`;
        log.error('scp.listen_failed', { port: cfg.scpPort, error: err });
        if (server === next) server = undefined;
        temp?.close();
        temp = undefined;
        resolve();
      });
      next.listen({ port: cfg.scpPort, host: cfg.scpBindAddress || undefined });
    });
    if (listening) log.info('scp.listening', { aeTitle: cfg.scpAeTitle, port: status().port, host: cfg.scpBindAddress || 'all', allowList: cfg.scpAllow });
    changed();
    return status();
  };

  // Starts and stops run one after the other: a settings change may arrive while one runs.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    start: (runOverrides?: Partial<ReceiverConfig>) => serial(() => start(runOverrides)),
    stop: () => serial(stop),
    status,
    /** Restarts when a receiver setting changed (enabled, port, AE title, allow-list…). */
    apply: () =>
      serial(async (): Promise<ReceiverStatus> => {
        const next = wanted();
        if (config && JSON.stringify(next) === JSON.stringify(config)) return status();
        if (!config && !next.scpEnabled) return status();
        return start();
      }),
  };
}

export type Receiver = ReturnType<typeof createReceiver>;

function pick(s: Settings): ReceiverConfig {
  const { scpEnabled, scpAeTitle, scpPort, scpBindAddress, scpAllow, scpMaxAssociations, scpMaxPduBytes, scpTimeoutSeconds } = s;
  return { scpEnabled, scpAeTitle, scpPort, scpBindAddress, scpAllow, scpMaxAssociations, scpMaxPduBytes, scpTimeoutSeconds };
}

/** Empty list: anyone. Else the calling AE must be listed, for any host or for this one. */
function allowed(list: readonly string[], callingAeTitle: string, host: string): boolean {
  if (list.length === 0) return true;
  return list.some((entry) => {
    const parsed = parseAllowEntry(entry);
    return parsed !== undefined && parsed.aeTitle === callingAeTitle && (parsed.host === null || normaliseHost(parsed.host) === host);
  });
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is 127.0.0.1. */
function normaliseHost(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
