// `noctis audit verify|list|export`: the audit trail for scripts and for an incident, without the app.
import fs from 'node:fs';
import path from 'node:path';
import type { AuditEvent } from '../../shared/audit';
import type { AuditFilter, AuditTrail } from '../core/audit/types';
import { UsageError } from './accounts';

export interface AuditCommandOptions {
  json?: boolean;
  since?: string;
  until?: string;
  user?: string;
  limit?: string;
  format?: string;
  out?: string;
  /** Who reading and exporting the trail is recorded as (`cli:<os user>`). */
  actor: string;
}

export interface AuditOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const DEFAULT_LIST_LIMIT = 1000;
const PAGE = 500;

/** Runs one audit subcommand; returns the exit code (verify: 0 sound, 1 broken). */
export async function auditCommand(sub: string | undefined, options: AuditCommandOptions, trail: AuditTrail, out: AuditOutput): Promise<number> {
  switch (sub) {
    case 'verify':
      return verify(options, trail, out);
    case 'list':
      return list(options, trail, out);
    case 'export':
      return exportTrail(options, trail, out);
    default:
      throw new UsageError(`audit: verify, list or export, not ${sub ?? 'nothing'}`);
  }
}

async function verify(options: AuditCommandOptions, trail: AuditTrail, out: AuditOutput): Promise<number> {
  // Read-only on purpose: checking a trail after an incident must not add to it.
  const result = await trail.verifyInBackground();
  if (options.json) out.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.ok) out.stdout.write(`Audit chain sound: ${result.checked} events checked in ${result.durationMs} ms\n`);
  else if (result.firstBad) {
    const { eventId, problem, detail } = result.firstBad;
    out.stdout.write(`Audit chain broken at event ${eventId} (${problem}): ${detail}\n`);
  }
  return result.ok ? 0 : 1;
}

function filterOf(options: AuditCommandOptions): AuditFilter {
  for (const [name, value] of [
    ['--since', options.since],
    ['--until', options.until],
  ] as const) {
    if (value !== undefined && Number.isNaN(new Date(value).getTime())) throw new UsageError(`${name} needs an ISO time such as 2026-12-01T00:00:00Z, not ${value}`);
  }
  return { since: options.since, until: options.until, user: options.user };
}

/** Newest first, as the viewer shows them; at most --limit (default 1000). */
function list(options: AuditCommandOptions, trail: AuditTrail, out: AuditOutput): number {
  const filter = filterOf(options);
  const limit = options.limit === undefined ? DEFAULT_LIST_LIMIT : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit needs a whole number above 0, not ${options.limit}`);
  const events: AuditEvent[] = [];
  let before: number | undefined;
  while (events.length < limit) {
    const page = trail.list({ ...filter, before, limit: Math.min(PAGE, limit - events.length) });
    events.push(...page.events);
    if (page.nextBefore === null) break;
    before = page.nextBefore;
  }
  trail.append({ code: '110101', action: 'R', outcome: 0, user: options.actor, description: `audit trail listed on the command line: ${events.length} events${describe(filter)}` });
  if (options.json) out.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
  else {
    for (const e of events) {
      out.stdout.write(`${e.eventId}\t${e.time}\t${e.code}\t${e.outcome}\t${e.user}\t${e.patientIds.join('\\')}\t${e.description}\n`);
    }
  }
  return 0;
}

/** Oldest first, to --out FILE or to stdout. */
function exportTrail(options: AuditCommandOptions, trail: AuditTrail, out: AuditOutput): number {
  const format = options.format;
  if (format !== 'csv' && format !== 'xml') throw new UsageError(`--format must be csv or xml, not ${format ?? 'nothing'}`);
  const filter = filterOf(options);
  const exported = trail.export(filter, format);
  if (options.out) {
    const file = path.resolve(options.out);
    // Written beside the target, then renamed: a cut-off export never looks complete.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, exported.content);
    fs.renameSync(tmp, file);
  }
  trail.append({
    code: '110106',
    action: 'R',
    outcome: 0,
    user: options.actor,
    description: `audit trail exported as ${format} on the command line: ${exported.count} events${describe(filter)}`,
  });
  if (!options.out) out.stdout.write(exported.content);
  else if (options.json) out.stdout.write(`${JSON.stringify({ file: path.resolve(options.out), count: exported.count, format })}\n`);
  else out.stdout.write(`${exported.count} events written to ${path.resolve(options.out)}\n`);
  return 0;
}

function describe(filter: AuditFilter): string {
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '');
  return parts.length > 0 ? ` (${parts.map(([k, v]) => `${k} ${String(v)}`).join(', ')})` : '';
}
