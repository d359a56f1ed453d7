// SQLite's integrity_check, timed and recorded: the health panel shows the last result.
import type { IntegrityResult } from '../../../shared/health';
import type { Db } from '../store/db';
import { isDiskFull } from './disk';

const MAX_COMPLAINTS = 20;

export function createIntegrity(db: Db) {
  const insert = db.prepare<[string, number, string]>('INSERT INTO integrity_checks (checked_at, duration_ms, result) VALUES (?, ?, ?)');
  const last = db.prepare<[], { checked_at: string; duration_ms: number; result: string }>(
    'SELECT checked_at, duration_ms, result FROM integrity_checks ORDER BY id DESC LIMIT 1',
  );
  // The newest result, also when the store was too full to record it.
  let latest: { result: string; checkedAt: string; durationMs: number } | undefined;
  return {
    /** Runs the full check now (reads the whole database: seconds on a large store). */
    run(): IntegrityResult {
      const started = performance.now();
      let result: string;
      try {
        const rows = db.pragma(`integrity_check(${MAX_COMPLAINTS})`) as { integrity_check: string }[];
        result = rows.map((r) => r.integrity_check).join('\n');
      } catch (err) {
        // A badly damaged file fails the check itself ("database disk image is malformed").
        result = `check failed: ${(err as Error).message}`;
      }
      const durationMs = Math.round(performance.now() - started);
      const checkedAt = new Date().toISOString();
      latest = { result, checkedAt, durationMs };
      try {
        insert.run(checkedAt, durationMs, result);
      } catch (err) {
        // A full disk must not hide the check's answer; the disk check reports the full disk.
        if (!isDiskFull(err)) throw err;
      }
      return latest;
    },
    last(): IntegrityResult {
      const row = last.get();
      const stored = row ? { result: row.result, checkedAt: row.checked_at, durationMs: row.duration_ms } : undefined;
      // Another process may have checked since; ISO times compare as strings.
      const newest = latest && (!stored || latest.checkedAt > stored.checkedAt) ? latest : stored;
      return newest ?? { result: null, checkedAt: null, durationMs: null };
    },
  };
}

export type Integrity = ReturnType<typeof createIntegrity>;
