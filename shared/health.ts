// System health: the figures `health.get` and `noctis health` report, and the documented
// thresholds that turn them into a status. Every figure is measured when asked for.

import type { ReceiverStatus } from './network';

export type HealthStatus = 'ok' | 'warning' | 'critical';

/** Activity in one period, counted from the store (import history and hourly counters). */
export interface PeriodCounts {
  imports: number;
  instancesImported: number;
  instancesReceived: number;
  instancesSent: number;
  apiCalls: number;
  apiErrors: number;
  /** apiErrors / apiCalls; null when there were no calls. */
  errorRate: number | null;
}

export const HEALTH_PERIODS = ['lastHour', 'last24Hours', 'last7Days'] as const;
export type HealthPeriod = (typeof HEALTH_PERIODS)[number];
export const PERIOD_HOURS: Record<HealthPeriod, number> = { lastHour: 1, last24Hours: 24, last7Days: 24 * 7 };

export interface RunningProcess {
  pid: number;
  /** app (desktop), serve (local host), cli (a command). */
  kind: string;
  startedAt: string;
  uptimeSeconds: number;
}

export interface IntegrityResult {
  /** 'ok', or SQLite's first complaints; null when never checked. */
  result: string | null;
  checkedAt: string | null;
  durationMs: number | null;
}

export interface HealthCheck {
  name: 'disk' | 'errors' | 'integrity' | 'shutdowns' | 'audit' | 'receiver';
  status: HealthStatus;
  /** One plain sentence: what was measured against which threshold. */
  detail: string;
}

export interface HealthReport {
  status: HealthStatus;
  measuredAt: string;
  /** Of the core answering (the app, `noctis serve`, or this CLI command). */
  uptimeSeconds: number;
  /** Every Noctis process using this data directory now. */
  processes: RunningProcess[];
  /** Processes that stopped without closing the store, in the last 7 days. */
  uncleanStops: number;
  periods: Record<HealthPeriod, PeriodCounts>;
  store: {
    dataDir: string;
    studies: number;
    instances: number;
    /** Bytes of the files copied into the store (from the index). */
    storedBytes: number;
    /** Bytes of the files indexed in place (--link). */
    linkedBytes: number;
    freeBytes: number;
    totalBytes: number;
    /** Imports and the receiver refuse work below this (setting `minFreeDiskMB`). */
    minFreeBytes: number;
  };
  database: { bytes: number; integrity: IntegrityResult };
  audit: { available: boolean; detail: string };
  /** As the process running the receiver reports it (the app, `serve` or `noctis scp`). */
  receiver: ReceiverStatus;
  checks: HealthCheck[];
}

/**
 * The thresholds, as data (README "System health" repeats them):
 * - disk: critical below the free-space floor (imports refused), warning below twice the floor;
 * - errors: over the last hour, with at least `minCalls` API calls, warning from `warningRate`,
 *   critical from `criticalRate`;
 * - integrity: critical when the last check did not say ok; warning when never run or older
 *   than `maxAgeDays`;
 * - shutdowns: warning when a process stopped without closing the store in the last 7 days;
 * - receiver: warning when it is enabled but no process listens (the port is taken, or no app
 *   or `noctis scp` runs); ok otherwise, saying when any calling AE may store (no allow-list).
 */
export const HEALTH_THRESHOLDS = {
  disk: { warningFloorMultiple: 2 },
  errors: { minCalls: 20, warningRate: 0.05, criticalRate: 0.25 },
  integrity: { maxAgeDays: 7 },
  shutdowns: { warningCount: 1 },
} as const;

const RANK: Record<HealthStatus, number> = { ok: 0, warning: 1, critical: 2 };

export function worstStatus(statuses: readonly HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'ok');
}
