// Every process that opens the store leaves a row: who is running now, for how long, and which
// earlier ones stopped without closing the store (a crash, a kill, a power cut).
import type { Db } from './db';

export type RunKind = 'app' | 'serve' | 'scp' | 'cli';

interface RunRow {
  id: number;
  pid: number;
  kind: string;
  started_at: string;
}

export function createRuns(db: Db) {
  const insert = db.prepare<[number, string, string]>('INSERT INTO runs (pid, kind, started_at) VALUES (?, ?, ?)');
  const stop = db.prepare<[string, number]>('UPDATE runs SET stopped_at = ? WHERE id = ?');
  const open = db.prepare<[], RunRow>('SELECT id, pid, kind, started_at FROM runs WHERE stopped_at IS NULL');
  const markUnclean = db.prepare<[string, number]>('UPDATE runs SET stopped_at = ?, unclean = 1 WHERE id = ?');
  const uncleanSince = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM runs WHERE unclean = 1 AND stopped_at >= ?');
  const first = db.prepare<[], { started_at: string }>('SELECT started_at FROM runs ORDER BY id LIMIT 1');

  return {
    /** Records this process; returns the id to close it with. */
    start(kind: RunKind, startedAt: Date): number {
      return Number(insert.run(process.pid, kind, startedAt.toISOString()).lastInsertRowid);
    },
    stop(id: number): void {
      stop.run(new Date().toISOString(), id);
    },
    /** Open runs whose process is gone never closed the store: marks them; returns how many. */
    reconcile(): number {
      const now = new Date().toISOString();
      const gone = open.all().filter((r) => r.pid !== process.pid && !processAlive(r.pid));
      for (const r of gone) markUnclean.run(now, r.id);
      return gone.length;
    },
    /** Processes using the store now. */
    live(): { pid: number; kind: string; startedAt: string }[] {
      return open
        .all()
        .filter((r) => r.pid === process.pid || processAlive(r.pid))
        .map((r) => ({ pid: r.pid, kind: r.kind, startedAt: r.started_at }));
    },
    uncleanStopsSince(since: Date): number {
      return uncleanSince.get(since.toISOString())?.n ?? 0;
    },
    /** When the store was first opened (null before any run). */
    firstStart(): string | null {
      return first.get()?.started_at ?? null;
    },
  };
}

export type Runs = ReturnType<typeof createRuns>;

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
