// Builds the health report from measurements taken now, and derives each status from the
// documented thresholds (shared/health.ts).
import fs from 'node:fs';
import {
  HEALTH_PERIODS,
  HEALTH_THRESHOLDS as T,
  PERIOD_HOURS,
  worstStatus,
  type HealthCheck,
  type HealthPeriod,
  type HealthReport,
  type IntegrityResult,
  type PeriodCounts,
} from '../../../shared/health';
import type { ReceiverStatus } from '../../../shared/network';
import type { Db } from '../store/db';
import type { StorePaths } from '../store/files';
import type { Metrics } from '../store/metrics';
import type { Runs } from '../store/runs';
import { diskSpace } from './disk';
import type { Integrity } from './integrity';

export interface HealthDeps {
  db: Db;
  paths: StorePaths;
  metrics: Metrics;
  runs: Runs;
  integrity: Integrity;
  minFreeBytes: () => number;
  /** When the core answering started. */
  startedAt: Date;
  /** The DICOM receiver, as the process running it reports it. */
  receiver: () => ReceiverStatus;
  /** The audit chain's last verification (a check once verified: critical when broken). */
  audit?: () => { detail: string; check?: HealthCheck };
}

const DAY_MS = 86_400_000;

export function createHealth(deps: HealthDeps) {
  const { db, paths, metrics, runs, integrity } = deps;
  const importsSince = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM import_jobs WHERE started_at >= ?');
  const importedSince = db.prepare<[string], { n: number | null }>(
    "SELECT sum(json_extract(report, '$.imported')) AS n FROM import_jobs WHERE finished_at >= ? AND report IS NOT NULL",
  );
  const storeTotals = db.prepare<[], { instances: number; stored: number; linked: number }>(
    'SELECT instances, stored_bytes AS stored, linked_bytes AS linked FROM store_totals',
  );
  const studyCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM studies');

  const period = (hours: number, now: number): PeriodCounts => {
    const since = new Date(now - hours * 3_600_000).toISOString();
    const apiCalls = metrics.total('api.calls', hours, now);
    const apiErrors = metrics.total('api.errors', hours, now);
    return {
      imports: importsSince.get(since)?.n ?? 0,
      instancesImported: importedSince.get(since)?.n ?? 0,
      instancesReceived: metrics.total('dicom.received', hours, now),
      instancesSent: metrics.total('dicom.sent', hours, now),
      apiCalls,
      apiErrors,
      errorRate: apiCalls > 0 ? apiErrors / apiCalls : null,
    };
  };

  return {
    report(now = Date.now()): HealthReport {
      const periods = Object.fromEntries(HEALTH_PERIODS.map((p) => [p, period(PERIOD_HOURS[p], now)])) as Record<HealthPeriod, PeriodCounts>;
      const totals = storeTotals.get();
      const disk = diskSpace(paths.dataDir);
      const minFreeBytes = deps.minFreeBytes();
      const lastCheck = integrity.last();
      const uncleanStops = runs.uncleanStopsSince(new Date(now - 7 * DAY_MS));
      const receiver = deps.receiver();
      const auditState = deps.audit?.();
      const auditCheck = auditState?.check;
      const audit = auditState ? { available: true, detail: auditState.detail } : { available: false, detail: 'No audit trail in this process.' };
      const checks: HealthCheck[] = [
        diskCheck(disk.freeBytes, minFreeBytes),
        errorCheck(periods.lastHour),
        integrityCheck(lastCheck, runs.firstStart(), now),
        shutdownCheck(uncleanStops),
        receiverCheck(receiver),
        ...(auditCheck ? [auditCheck] : []),
      ];
      return {
        status: worstStatus(checks.map((c) => c.status)),
        measuredAt: new Date(now).toISOString(),
        uptimeSeconds: Math.round((now - deps.startedAt.getTime()) / 1000),
        processes: runs.live().map((r) => ({ ...r, uptimeSeconds: Math.round((now - Date.parse(r.startedAt)) / 1000) })),
        uncleanStops,
        periods,
        store: {
          dataDir: paths.dataDir,
          studies: studyCount.get()?.n ?? 0,
          instances: totals?.instances ?? 0,
          storedBytes: totals?.stored ?? 0,
          linkedBytes: totals?.linked ?? 0,
          freeBytes: disk.freeBytes,
          totalBytes: disk.totalBytes,
          minFreeBytes,
        },
        database: { bytes: fileSize(paths.dbFile) + fileSize(`${paths.dbFile}-wal`), integrity: lastCheck },
        audit,
        receiver,
        checks,
      };
    },
  };
}

export type Health = ReturnType<typeof createHealth>;

const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en')} MB`;

export function diskCheck(freeBytes: number, minFreeBytes: number): HealthCheck {
  const detail = `${mb(freeBytes)} free; floor ${mb(minFreeBytes)}.`;
  if (freeBytes < minFreeBytes) return { name: 'disk', status: 'critical', detail: `${detail} Imports are refused.` };
  if (freeBytes < minFreeBytes * T.disk.warningFloorMultiple) return { name: 'disk', status: 'warning', detail: `${detail} Less than ${T.disk.warningFloorMultiple}× the floor.` };
  return { name: 'disk', status: 'ok', detail };
}

export function errorCheck(lastHour: PeriodCounts): HealthCheck {
  const { apiCalls, apiErrors, errorRate } = lastHour;
  const detail = `${apiErrors} of ${apiCalls} API calls failed in the last hour.`;
  if (errorRate === null || apiCalls < T.errors.minCalls) return { name: 'errors', status: 'ok', detail };
  const pct = `${(errorRate * 100).toFixed(1)}%`;
  if (errorRate >= T.errors.criticalRate) return { name: 'errors', status: 'critical', detail: `${detail} ${pct} ≥ ${T.errors.criticalRate * 100}%.` };
  if (errorRate >= T.errors.warningRate) return { name: 'errors', status: 'warning', detail: `${detail} ${pct} ≥ ${T.errors.warningRate * 100}%.` };
  return { name: 'errors', status: 'ok', detail };
}

export function integrityCheck(last: IntegrityResult, storeCreatedAt: string | null, now: number): HealthCheck {
  if (last.result !== null && last.result !== 'ok') {
    return { name: 'integrity', status: 'critical', detail: `The last database check found damage: ${last.result.split('\n')[0]}` };
  }
  // A new store counts as checked when it was created.
  const since = last.checkedAt ?? storeCreatedAt;
  const ageDays = since ? (now - Date.parse(since)) / DAY_MS : 0;
  const what = last.checkedAt ? `Last database check ok, ${ageDays.toFixed(1)} days ago.` : 'The database was never checked.';
  if (ageDays > T.integrity.maxAgeDays) return { name: 'integrity', status: 'warning', detail: `${what} Older than ${T.integrity.maxAgeDays} days.` };
  return { name: 'integrity', status: 'ok', detail: what };
}

export function receiverCheck(r: ReceiverStatus): HealthCheck {
  if (!r.enabled) return { name: 'receiver', status: 'ok', detail: 'The DICOM receiver is off.' };
  if (!r.listening) return { name: 'receiver', status: 'warning', detail: `The DICOM receiver is enabled but not listening: ${r.error ?? 'no Noctis app, serve or scp process is running'}.` };
  const who = r.allowList.length > 0 ? `${r.allowList.length} allowed calling AE title(s)` : 'any calling AE may store (no allow-list)';
  return { name: 'receiver', status: 'ok', detail: `Listening as ${r.aeTitle} on port ${r.port}, ${r.associations} association(s) open; ${who}.` };
}

export function shutdownCheck(uncleanStops: number): HealthCheck {
  const detail = `${uncleanStops} stop(s) without closing the store in the last 7 days.`;
  return { name: 'shutdowns', status: uncleanStops >= T.shutdowns.warningCount ? 'warning' : 'ok', detail };
}

function fileSize(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
