// Hourly counters kept in the store: the health panel's "per period" figures survive restarts
// and include every process using the store.
import type { Db } from './db';

export type MetricName = 'api.calls' | 'api.errors' | 'dicom.received' | 'dicom.sent';

const HOUR_MS = 3_600_000;

export function hourOf(time: number): number {
  return Math.floor(time / HOUR_MS);
}

export function createMetrics(db: Db) {
  const add = db.prepare<[number, string, number]>(
    'INSERT INTO metrics_hourly (hour, name, value) VALUES (?, ?, ?) ON CONFLICT(hour, name) DO UPDATE SET value = value + excluded.value',
  );
  const sum = db.prepare<[string, number], { total: number | null }>(
    'SELECT sum(value) AS total FROM metrics_hourly WHERE name = ? AND hour >= ?',
  );
  return {
    count(name: MetricName, n = 1, time = Date.now()): void {
      add.run(hourOf(time), name, n);
    },
    /** The total over the last `hours` hours, the current one included. */
    total(name: MetricName, hours: number, now = Date.now()): number {
      return sum.get(name, hourOf(now) - hours + 1)?.total ?? 0;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
