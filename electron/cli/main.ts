// `noctis`: the command line of the core. It acts with the rights of whoever can open the data
// directory; stdout carries only results (JSON with --json), logs go to the log file and stderr.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isErrorInfo } from '../../shared/errors';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { createCore, type Core } from '../core';
import { call } from '../core/api/dispatch';
import { NoctisError, newErrorId, toErrorInfo } from '../core/errors';
import { defaultDataDir } from '../core/paths';
import { startHost } from '../host/server';
import { cliContext, runFacilities, runUsers, UsageError } from './accounts';
import { auditCommand } from './audit';
import { runEcho, runScp, runSend } from './network';

const USAGE = `Usage: noctis <command> [options]

Commands:
  import <path...>   Import DICOM files, folders, discs (DICOMDIR) and .zip archives
  studies            List the studies in the store
  instances          List every instance in the store
  serve              Serve the app on 127.0.0.1 (open the printed URL)
  health             System health: activity, store, disk, database; exit 0 ok, 1 warning, 2 critical
  settings           Show settings; change them with --set name=value
  logs               The newest log lines (--level, --scope, --text, --limit)
  users add|list|disable|enable|unlock|reset-password
                     Local accounts (password from stdin or a prompt, never an argument)
  facilities add|list
                     Facilities and the institutions whose studies belong to them
  scp                Receive studies over DICOM (C-ECHO, C-STORE) until Ctrl-C
  send               Send a study (or a series) to a DICOM node: --study UID --to AET@host:port
  echo               Test a DICOM node with C-ECHO: --to AET@host:port
  audit verify|list|export
                     Check the audit chain (exit 1 naming the first altered event), list it
                     newest first, or export it oldest first as CSV or DICOM audit messages (XML)

Options:
  --data-dir DIR     The store (default: the desktop app's, or NOCTIS_DATA_DIR)
  --json             Machine-readable output on stdout
  --link             import: index files where they are instead of copying them
  --port N           serve: the port (default: a free one)
  --check            health: run the database integrity check first
  --set NAME=VALUE   settings: change a setting (repeatable), e.g. --set minFreeDiskMB=2048
  --username U       users: the account (usernames ignore case)
  --role R           users add: admin, radiologist, technologist or facility_user
  --facility NAME    users add: the user's facility (created if missing)
  --license L        users add: license number (radiologists, technologists)
  --display-name N   users add: the person's name
  --specialization S users add: a radiologist's specialization
  --keep-password    users add: no forced change at first sign-in (the person chose it)
  --name N           facilities add: the facility's name
  --institution I    facilities add: an InstitutionName whose studies belong to it (repeatable)
  --since T, --until T  audit list|export: ISO times, inclusive (e.g. 2026-12-01T00:00:00Z)
  --user U           audit list: one user (ignores case)
  --format F         audit export: csv or xml
  --out FILE         audit export: write to FILE instead of stdout
  --port N           scp: the port (default the setting scpPort, 11112; 0: a free one)
  --aet T            scp: the AE title (default the setting scpAeTitle, NOCTIS)
  --allow AET[@host] scp: only these calling AE titles may store (repeatable; default the
                     setting scpAllow; none: any caller)
  --host ADDRESS     scp: listen on this address only (default every interface)
  --study UID        send: the study;  --series UID: only this series of it
  --to AET@host:port send, echo: the DICOM node

The command line acts with the rights of whoever can open the data directory (keep it 0700);
what it changes is audited as cli:<your user name>.
  --help             This text
`;


export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        link: { type: 'boolean', default: false },
        port: { type: 'string' },
        check: { type: 'boolean', default: false },
        set: { type: 'string', multiple: true },
        level: { type: 'string' },
        scope: { type: 'string' },
        text: { type: 'string' },
        limit: { type: 'string' },
        username: { type: 'string' },
        role: { type: 'string' },
        facility: { type: 'string' },
        license: { type: 'string' },
        'display-name': { type: 'string' },
        specialization: { type: 'string' },
        'keep-password': { type: 'boolean', default: false },
        name: { type: 'string' },
        institution: { type: 'string', multiple: true },
        since: { type: 'string' },
        until: { type: 'string' },
        user: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        aet: { type: 'string' },
        allow: { type: 'string', multiple: true },
        host: { type: 'string' },
        study: { type: 'string' },
        series: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const json = values.json;

  let core: Core | undefined;
  try {
    // Per-file warnings belong in the report and the log file, not on the terminal.
    core = createCore({ dataDir, consoleLogLevel: 'error', kind: command === 'serve' ? 'serve' : command === 'scp' ? 'scp' : 'cli' });
    switch (command) {
      case 'import':
        return await runImport(core, args, json, values.link);
      case 'studies':
        return await runStudies(core, json);
      case 'instances':
        return runInstances(core, json);
      case 'serve':
        return await runServe(core, values.port);
      case 'health':
        return await runHealth(core, json, values.check);
      case 'settings':
        return await runSettings(core, json, values.set ?? []);
      case 'logs':
        return await runLogs(core, json, values);
      case 'users':
        return await runUsers(core, args[0], values);
      case 'facilities':
        return await runFacilities(core, args[0], values);
      case 'scp':
        return await runScp(core, values);
      case 'send':
        return await runSend(core, values);
      case 'echo':
        return await runEcho(core, values);
      case 'audit':
        return await auditCommand(args[0], { ...values, actor: core.localUser }, core.audit, process);
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    // An ErrorInfo from the handler table was logged there already, with its errorId.
    const info = isErrorInfo(err) ? err : toErrorInfo(err, newErrorId());
    const errorId = info.errorId;
    if (err instanceof NoctisError) core?.log.warn('cli.refused', { command, code: err.code, errorId, ...err.details });
    else if (!isErrorInfo(err)) core?.log.error('cli.failed', { command, errorId, error: err });
    if (json) process.stdout.write(`${JSON.stringify({ error: info })}\n`);
    else process.stderr.write(`Error ${info.code}: ${info.message}\n${info.recovery}\n(error id ${errorId})\n`);
    return 1;
  } finally {
    await core?.shutdown();
  }
}

async function runImport(core: Core, inputs: string[], json: boolean, link: boolean): Promise<number> {
  if (inputs.length === 0) throw new UsageError('import needs at least one path');
  // Ctrl-C cancels: what was read is committed, the report says "cancelled".
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const report = await core.importFiles(inputs, { link, signal: controller.signal });
  process.off('SIGINT', cancel);
  process.off('SIGTERM', cancel);
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${report.totalFiles} files: ${report.imported} imported, ${report.duplicates} duplicates, ` +
        `${report.conflicts} conflicts, ${report.invalid} invalid; ` +
        `${report.createdStudies} new studies, ${report.createdSeries} new series ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s (${report.filesPerSecond} files/s, ${report.source})\n`,
    );
    for (const note of report.notes) process.stdout.write(`  ${note}\n`);
    for (const e of report.errors) process.stdout.write(`  ${e.code}\t${e.path}\t${e.message}\n`);
    if (report.stoppedBy) process.stderr.write(`Error ${report.stoppedBy.code}: ${report.stoppedBy.message}\n${report.stoppedBy.recovery}\n`);
  }
  return report.status === 'completed' ? 0 : 1;
}

/** Streams the JSON array: a store can hold millions of instances. */
function runInstances(core: Core, json: boolean): number {
  core.audit.append({ code: '110112', action: 'E', outcome: 0, user: core.localUser, description: 'instances listed on the command line' });
  let first = true;
  if (json) process.stdout.write('[');
  for (const i of core.instances()) {
    if (json) process.stdout.write(`${first ? '\n  ' : ',\n  '}${JSON.stringify(i)}`);
    else process.stdout.write(`${i.sopInstanceUid}\t${i.modality}\t${i.patientName}\t${i.transferSyntaxUid}\t${i.path}\n`);
    first = false;
  }
  if (json) process.stdout.write(first ? ']\n' : '\n]\n');
  return 0;
}

async function runStudies(core: Core, json: boolean): Promise<number> {
  const studies = [];
  const pageSize = 1000;
  // Page through the handler table so the CLI sees exactly what the app sees.
  for (let offset = 0; ; offset += pageSize) {
    const page = await call(core.dispatch, 'studies.search', { limit: pageSize, offset }, cliContext(core));
    studies.push(...page.studies);
    if (page.studies.length < pageSize) break;
  }
  core.audit.append({ code: '110112', action: 'E', outcome: 0, user: core.localUser, description: `studies listed on the command line: ${studies.length}` });
  if (json) {
    process.stdout.write(`${JSON.stringify(studies, null, 2)}\n`);
  } else {
    for (const s of studies) {
      process.stdout.write(
        `${s.studyDate || '--------'}  ${s.patientName.padEnd(30)} ${s.patientId.padEnd(16)} ` +
          `${s.modalities.join('/').padEnd(8)} ${s.seriesCount} series, ${s.instanceCount} images  ${s.studyInstanceUid}\n`,
      );
    }
  }
  return 0;
}

async function runHealth(core: Core, json: boolean, check: boolean): Promise<number> {
  if (check) await call(core.dispatch, 'health.check', {}, cliContext(core));
  const health = await call(core.dispatch, 'health.get', {}, cliContext(core));
  if (json) {
    process.stdout.write(`${JSON.stringify(health, null, 2)}\n`);
  } else {
    process.stdout.write(`${health.status.toUpperCase()}  (measured ${health.measuredAt})\n`);
    for (const c of health.checks) process.stdout.write(`  ${c.status.padEnd(8)} ${c.name.padEnd(10)} ${c.detail}\n`);
    const { store, periods } = health;
    process.stdout.write(
      `  store: ${store.studies} studies, ${store.instances} instances, ${formatBytes(store.storedBytes)} stored, ` +
        `${formatBytes(store.freeBytes)} free of ${formatBytes(store.totalBytes)}\n` +
        `  last 24 h: ${periods.last24Hours.imports} imports, ${periods.last24Hours.apiCalls} API calls, ${periods.last24Hours.apiErrors} errors\n` +
        `  running: ${health.processes.map((p) => `${p.kind} (pid ${p.pid}, up ${p.uptimeSeconds} s)`).join(', ')}\n`,
    );
  }
  return { ok: 0, warning: 1, critical: 2 }[health.status];
}

async function runSettings(core: Core, json: boolean, assignments: string[]): Promise<number> {
  const values: Record<string, unknown> = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs name=value, not ${a}`);
    const raw = a.slice(eq + 1);
    const key = a.slice(0, eq);
    // A list setting (e.g. scpAllow=CT1,MR2@10.0.0.5) is comma-separated; empty clears it.
    if (Array.isArray(DEFAULT_SETTINGS[key as keyof Settings])) values[key] = raw === '' ? [] : raw.split(',').map((v) => v.trim());
    else values[key] = /^-?\d+(\.\d+)?$|^(true|false)$/.test(raw) ? (JSON.parse(raw) as unknown) : raw;
  }
  const settings = assignments.length > 0 ? await call(core.dispatch, 'settings.set', values, cliContext(core)) : await call(core.dispatch, 'settings.get', {}, cliContext(core));
  if (json) process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
  else for (const [k, v] of Object.entries(settings)) process.stdout.write(`${k}=${Array.isArray(v) ? v.join(',') : String(v)}\n`);
  return 0;
}

async function runLogs(core: Core, json: boolean, options: { level?: string; scope?: string; text?: string; limit?: string }): Promise<number> {
  const query: Record<string, unknown> = { level: options.level, scope: options.scope, text: options.text };
  if (options.limit !== undefined) query.limit = Number(options.limit);
  const result = await call(core.dispatch, 'logs.query', query, cliContext(core));
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else for (const e of [...result.entries].reverse()) process.stdout.write(`${e.time} ${e.level.padEnd(5)} ${e.scope.padEnd(8)} ${e.message} ${JSON.stringify(e.context)}\n`);
  return 0;
}

function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

async function runServe(core: Core, portText: string | undefined): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Not a port: ${portText}`);
  const host = await startHost({ core, rendererDir: rendererDir(), port });
  // A long-running server logs what escaped every handler, with an id the user can quote.
  process.on('unhandledRejection', (error) => core.log.error('serve.unhandled_rejection', { errorId: newErrorId(), error }));
  process.on('uncaughtException', (error) => {
    // State after an uncaught exception is unknown: log it and stop (the next start reconciles).
    core.log.error('serve.uncaught', { errorId: newErrorId(), error });
    process.exit(1);
  });
  process.stdout.write(`${host.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await host.close();
  return 0;
}

/** The built renderer: beside the bundled CLI in dist/, or dist/renderer from the sources. */
function rendererDir(): string {
  if (process.env.NOCTIS_RENDERER_DIR) return path.resolve(process.env.NOCTIS_RENDERER_DIR);
  return path.basename(__dirname) === 'dist'
    ? path.join(__dirname, 'renderer')
    : path.resolve(__dirname, '../../dist/renderer');
}
