// Sending studies to DICOM nodes (C-STORE SCU) as jobs, and C-ECHO. Instances go as stored: the
// bytes of the file's data set, not a re-encoding, whenever the destination accepts the stored
// transfer syntax; otherwise the library decodes the file and sends it in a syntax it accepted
// (explicit or implicit VR little endian, proposed for every SOP class).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EchoResult, SendProgress, SendReport } from '../../../shared/network';
import type { AuditTrail } from '../audit/types';
import { datasetOffset } from '../dicom/part10';
import { NoctisError } from '../errors';
import type { Logger } from '../log/logger';
import type { SendableInstance } from '../store/catalog';
import type { Metrics } from '../store/metrics';
import type { SendHistory } from '../store/network';
import { association, Client, Dataset, requests, routeDimseLog, STATUS, Transcoding } from './dimse';

export interface Destination {
  aeTitle: string;
  host: string;
  port: number;
}

export interface SendJobOptions {
  studyInstanceUid: string;
  seriesInstanceUid?: string | null;
  destination: Destination;
  /** The instances to send, in order (a retry passes the failed ones). */
  instances: SendableInstance[];
  /** Who asked, for the audit trail. */
  actor: { user: string; role?: string | null };
  retryOf?: string;
}

export interface SenderDeps {
  dataDir: string;
  history: SendHistory;
  log: Logger;
  audit: AuditTrail;
  metrics: Metrics;
  /** Our AE title (the receiver's), which destinations see as the calling AE. */
  callingAeTitle: () => string;
  onProgress: (progress: SendProgress) => void;
  onFinished: (report: SendReport) => void;
}

const TIMEOUT_MS = 30_000;
const UNCOMPRESSED_LE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
const PROGRESS_MS = 200;
const MAX_LISTED_FAILURES = 1000;

/** A data set read from its file only when sent, as its stored bytes. */
class StoredDataset extends Dataset {
  private full: InstanceType<typeof Dataset> | undefined;

  constructor(
    private readonly file: string,
    private readonly instance: SendableInstance,
  ) {
    super({ SOPClassUID: instance.sopClassUid, SOPInstanceUID: instance.sopInstanceUid }, instance.transferSyntaxUid);
  }

  /** As stored: the file's own data set bytes. */
  override getDenaturalizedDataset(): Buffer {
    const bytes = fs.readFileSync(this.file);
    const offset = datasetOffset(bytes);
    if (offset === undefined) throw new Error('the stored file has a cut Part 10 header');
    return bytes.subarray(offset);
  }

  /** Transcoding (the destination took another syntax) needs every element: the file is decoded then. */
  override getElements(): Record<string, unknown> {
    this.full ??= this.instance.rawDataset ? new Dataset(fs.readFileSync(this.file), this.instance.transferSyntaxUid) : Dataset.fromFile(this.file);
    if (!this.full) throw new Error('the stored file could not be read');
    return this.full.getElements();
  }
}

/** The library's connection, to set TCP_NODELAY and to stop feeding it on cancel (not in its API). */
interface ClientInternals {
  network?: { socket?: { setNoDelay(noDelay: boolean): void }; requests?: unknown[] };
}

let transcodingReady: Promise<void> | undefined;

export function createSender(deps: SenderDeps) {
  const { log } = deps;
  routeDimseLog(log.scope('dimse'));
  const running = new Map<string, { cancel: () => void; done: Promise<SendReport> }>();

  const absolute = (i: SendableInstance) => (i.linked ? i.path : path.join(deps.dataDir, i.path));

  const run = (options: SendJobOptions, jobId: string): Promise<SendReport> => {
    const { destination, instances } = options;
    const started = performance.now();
    const report: SendReport = {
      jobId,
      status: 'running',
      destination,
      studyInstanceUid: options.studyInstanceUid,
      seriesInstanceUid: options.seriesInstanceUid ?? null,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      instancesPerSecond: 0,
      done: 0,
      total: instances.length,
      sent: 0,
      warnings: 0,
      failed: 0,
      bytes: 0,
      asStored: 0,
      converted: 0,
      failures: [],
      error: null,
      retryOf: options.retryOf ?? null,
    };
    deps.history.start(report);
    const where = `${destination.aeTitle}@${destination.host}:${destination.port}`;
    const patientIds = [...new Set(instances.map((i) => i.patientId))];
    deps.audit.append({
      code: '110102',
      action: 'R',
      outcome: 0,
      user: options.actor.user,
      role: options.actor.role ?? null,
      aeTitle: destination.aeTitle,
      patientIds,
      studyUids: [options.studyInstanceUid],
      description: `sending ${instances.length} instances to ${where}${options.retryOf ? ` (retry of ${options.retryOf})` : ''}`,
    });
    log.info('send.started', { jobId, destination: where, instances: instances.length, retryOf: options.retryOf });

    let lastProgress = 0;
    const progress = (force = false) => {
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      const { done, total, sent, warnings, failed, bytes } = report;
      deps.onProgress({ jobId, done, total, sent, warnings, failed, bytes });
    };
    const fail = (instance: SendableInstance, status: number | null, message: string) => {
      report.failed++;
      if (report.failures.length < MAX_LISTED_FAILURES) report.failures.push({ sopInstanceUid: instance.sopInstanceUid, status, message });
    };

    const client = new Client();
    const internals = client as unknown as ClientInternals;
    let cancelled = false;
    const settled = new Set<SendableInstance>();
    for (const instance of instances) {
      const request = new requests.CStoreRequest(new StoredDataset(absolute(instance), instance));
      request.on('response', (response: { getStatus(): number; getErrorComment(): string }) => {
        if (settled.has(instance)) return;
        settled.add(instance);
        report.done++;
        const status = response.getStatus();
        // A converted instance was swapped for a new data set in the accepted syntax.
        if (request.getDataset()?.getTransferSyntaxUid() === instance.transferSyntaxUid) report.asStored++;
        else report.converted++;
        if (status === STATUS.success) report.sent++;
        else if ((status & 0xf000) === 0xb000) report.warnings++;
        else fail(instance, status, `Refused by the destination (status 0x${status.toString(16).padStart(4, '0')}${response.getErrorComment() ? `: ${response.getErrorComment()}` : ''}).`);
        if (status === STATUS.success || (status & 0xf000) === 0xb000) {
          report.bytes += instance.size;
          deps.metrics.count('dicom.sent');
        }
        progress();
      });
      // Done without a response: the library could not convert it to a syntax the destination took.
      request.on('done', () => {
        if (settled.has(instance)) return;
        settled.add(instance);
        report.done++;
        fail(instance, null, 'Not sent: the destination accepts none of the transfer syntaxes this instance can be sent in.');
        progress();
      });
      client.addRequest(request);
    }
    // The library proposes one context per SOP class with implicit then explicit VR little endian
    // (and its own context for other stored syntaxes): a destination taking the first would get
    // explicit files re-encoded. A context of just the stored syntax keeps them as they are.
    const proposed = new Set<string>();
    for (const { sopClassUid, transferSyntaxUid } of instances) {
      const key = `${sopClassUid} ${transferSyntaxUid}`;
      if (!UNCOMPRESSED_LE.has(transferSyntaxUid) || proposed.has(key)) continue;
      proposed.add(key);
      client.addAdditionalPresentationContext(new association.PresentationContext(0, sopClassUid, transferSyntaxUid), true);
    }

    const done = new Promise<SendReport>((resolve) => {
      client.on('connected', () => internals.network?.socket?.setNoDelay(true));
      client.on('associationRejected', (reject: { result: number; source: number; reason: number }) => {
        report.error = `The destination refused the association (result ${reject.result}, source ${reject.source}, reason ${reject.reason}): check that it knows the AE title ${deps.callingAeTitle()}.`;
      });
      client.on('networkError', (error: Error) => {
        report.error ??= `Network error: ${error.message}`;
      });
      client.on('closed', () => {
        for (const instance of instances) {
          if (settled.has(instance)) continue;
          if (cancelled) continue; // not sent, not failed: the user stopped the job
          settled.add(instance);
          report.done++;
          fail(instance, null, report.error ?? 'The association ended before this instance was sent.');
        }
        report.durationMs = Math.round(performance.now() - started);
        report.instancesPerSecond = report.durationMs > 0 ? Math.round(((report.sent + report.warnings) * 1000) / report.durationMs) : 0;
        report.status = cancelled ? 'cancelled' : report.failed > 0 || report.error ? 'failed' : 'completed';
        resolve(report);
      });
      client.send(destination.host, destination.port, deps.callingAeTitle(), destination.aeTitle, {
        connectTimeout: TIMEOUT_MS,
        associationTimeout: TIMEOUT_MS,
        pduTimeout: TIMEOUT_MS,
      });
    }).then((final) => {
      deps.history.save(final);
      progress(true);
      deps.audit.append({
        code: '110104',
        action: 'R',
        outcome: final.failed === 0 && !final.error ? 0 : final.sent + final.warnings > 0 ? 4 : 8,
        user: options.actor.user,
        role: options.actor.role ?? null,
        aeTitle: destination.aeTitle,
        patientIds,
        studyUids: [options.studyInstanceUid],
        description:
          `sent ${final.sent + final.warnings} of ${final.total} instances to ${where} in ${(final.durationMs / 1000).toFixed(1)} s, ` +
          `${final.failed} failed, ${final.status}`,
      });
      log[final.status === 'completed' ? 'info' : 'warn']('send.finished', { ...final, failures: final.failures.length });
      deps.onFinished(final);
      return final;
    });
    running.set(jobId, {
      cancel: () => {
        cancelled = true;
        // Stop after the instance in flight: the association is then released normally.
        const queue = internals.network?.requests;
        if (queue) queue.length = 0;
        else client.clearRequests();
      },
      done,
    });
    void done.finally(() => running.delete(jobId));
    return done;
  };

  const prepare = async (options: SendJobOptions) => {
    if (options.instances.length === 0) throw new NoctisError('NOTHING_TO_SEND', { studyInstanceUid: options.studyInstanceUid });
    // Decoding for a destination that refuses the stored syntax needs the codecs (WASM): loaded once.
    transcodingReady ??= Transcoding.initializeAsync();
    await transcodingReady;
  };

  return {
    /** Starts a job in the background; progress and the end arrive as events. */
    async start(options: SendJobOptions): Promise<string> {
      await prepare(options);
      const jobId = randomUUID();
      void run(options, jobId);
      return jobId;
    },
    /** Runs a job to its end (the command line). */
    async run(options: SendJobOptions, signal?: AbortSignal): Promise<SendReport> {
      await prepare(options);
      const jobId = randomUUID();
      const done = run(options, jobId);
      signal?.addEventListener('abort', () => running.get(jobId)?.cancel(), { once: true });
      return done;
    },
    cancel(jobId: string): boolean {
      const job = running.get(jobId);
      job?.cancel();
      return job !== undefined;
    },
    async stopAll(): Promise<void> {
      const jobs = [...running.values()];
      for (const job of jobs) job.cancel();
      await Promise.allSettled(jobs.map((j) => j.done));
    },
    echo: (destination: Destination) => echo(destination, deps.callingAeTitle()),
  };
}

export type Sender = ReturnType<typeof createSender>;

/** C-ECHO: association, one echo, release; the round trip covers all three. */
export function echo(destination: Destination, callingAeTitle: string): Promise<EchoResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const client = new Client();
    const internals = client as unknown as ClientInternals;
    const request = new requests.CEchoRequest();
    let status: number | undefined;
    let problem: string | undefined;
    request.on('response', (response: { getStatus(): number }) => {
      status = response.getStatus();
    });
    client.addRequest(request);
    client.on('connected', () => internals.network?.socket?.setNoDelay(true));
    client.on('associationRejected', (reject: { result: number; source: number; reason: number }) => {
      problem = `The node refused the association (result ${reject.result}, source ${reject.source}, reason ${reject.reason}): it may not know the AE title ${callingAeTitle}, or expect another called AE title than ${destination.aeTitle}.`;
    });
    client.on('networkError', (error: Error) => {
      problem ??= `Cannot reach ${destination.host}:${destination.port}: ${error.message}`;
    });
    client.on('closed', () => {
      const roundTripMs = Math.round((performance.now() - started) * 10) / 10;
      if (status === STATUS.success) resolve({ ok: true, roundTripMs, message: 'C-ECHO succeeded' });
      else resolve({ ok: false, roundTripMs, message: problem ?? (status === undefined ? 'No answer to the C-ECHO.' : `C-ECHO answered status 0x${status.toString(16)}.`) });
    });
    client.send(destination.host, destination.port, callingAeTitle, destination.aeTitle, {
      connectTimeout: 10_000,
      associationTimeout: 10_000,
      pduTimeout: 10_000,
    });
  });
}
