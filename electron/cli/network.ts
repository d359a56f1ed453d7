// `noctis scp`, `noctis send` and `noctis echo`: the DICOM network node from the command line.
import type { SendReport } from '../../shared/network';
import { aeTitleProblem, parseAeAddress, parseAllowEntry } from '../../shared/network';
import type { Core } from '../core';
import { UsageError } from './accounts';

export interface NetworkOptions {
  json: boolean;
  port?: string;
  aet?: string;
  allow?: string[];
  host?: string;
  study?: string;
  series?: string;
  to?: string;
}

/** Receives until Ctrl-C or SIGTERM. Its first stdout line says where it listens. */
export async function runScp(core: Core, o: NetworkOptions): Promise<number> {
  const overrides: Parameters<Core['receiver']['start']>[0] = { scpEnabled: true };
  if (o.port !== undefined) {
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Not a port: ${o.port}`);
    overrides.scpPort = port; // 0: a free port, printed below
  }
  if (o.aet !== undefined) {
    const problem = aeTitleProblem(o.aet);
    if (problem) throw new UsageError(`--aet: ${problem}`);
    overrides.scpAeTitle = o.aet;
  }
  if (o.allow) {
    const bad = o.allow.find((entry) => !parseAllowEntry(entry));
    if (bad) throw new UsageError(`--allow takes AET or AET@host, not ${bad}`);
    overrides.scpAllow = o.allow;
  }
  if (o.host !== undefined) overrides.scpBindAddress = o.host;
  const status = await core.receiver.start(overrides);
  if (!status.listening) {
    process.stderr.write(`Error: ${status.error ?? 'the receiver did not start'}\n`);
    return 1;
  }
  const who = status.allowList.length > 0 ? `from ${status.allowList.join(', ')}` : 'from any calling AE (no allow-list)';
  process.stdout.write(o.json ? `${JSON.stringify(status)}\n` : `Receiving as ${status.aeTitle} on port ${status.port}, ${who}. Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const { received } = core.receiver.status();
  await core.receiver.stop();
  if (!o.json) process.stdout.write(`Received ${received.instances} instances in ${received.associations} associations, ${received.failures} failed.\n`);
  return 0;
}

/** Sends a study (or one series) and prints the report; exit 1 when anything failed. */
export async function runSend(core: Core, o: NetworkOptions): Promise<number> {
  if (!o.study) throw new UsageError('send needs --study UID');
  const destination = o.to ? parseAeAddress(o.to) : undefined;
  if (!destination) throw new UsageError('send needs --to AET@host:port');
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  let report: SendReport;
  try {
    report = await core.sendStudy(o.study, o.series ?? null, destination, controller.signal);
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${report.status}: ${report.sent + report.warnings} of ${report.total} instances sent to ${o.to} ` +
        `(${report.asStored} as stored, ${report.converted} converted), ${report.failed} failed, ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s (${report.instancesPerSecond}/s)\n`,
    );
    if (report.error) process.stdout.write(`  ${report.error}\n`);
    for (const f of report.failures) process.stdout.write(`  ${f.sopInstanceUid}\t${f.message}\n`);
  }
  return report.status === 'completed' ? 0 : 1;
}

/** C-ECHO; exit 0 when it succeeded. */
export async function runEcho(core: Core, o: NetworkOptions): Promise<number> {
  const destination = o.to ? parseAeAddress(o.to) : undefined;
  if (!destination) throw new UsageError('echo needs --to AET@host:port');
  const result = await core.sender.echo(destination);
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${result.ok ? 'OK' : 'FAILED'}  ${result.message} (${result.roundTripMs} ms)\n`);
  return result.ok ? 0 : 1;
}
