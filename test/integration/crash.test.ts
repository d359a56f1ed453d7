// Crash safety: SIGKILL an import at several moments. Each time the database must pass
// integrity_check and every indexed instance must point at a complete file; a re-run must
// then finish the import with exact totals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { writeStudy } from '../fixtures/generate';
import { REPO_ROOT, tempDir } from '../helpers';

const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
const SERIES = 6;
const SLICES = 80;
const TOTAL = SERIES * SLICES;

/** Runs the CLI import; kills it once the index holds `killAt` instances (null: never). */
function importAndKill(source: string, dataDir: string, killAt: number | null): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'import', source, '--data-dir', dataDir, '--json'], { stdio: 'ignore' });
    const dbFile = path.join(dataDir, 'noctis.sqlite');
    const timer =
      killAt === null
        ? undefined
        : setInterval(() => {
            if (indexed(dbFile) >= killAt) child.kill('SIGKILL');
          }, 5);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve(code);
    });
  });
}

function indexed(dbFile: string): number {
  if (!fs.existsSync(dbFile)) return 0;
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM instances').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or migrated yet
  }
}

function checkStore(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'noctis.sqlite'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const rows = db.prepare('SELECT path, size, sha256 FROM instances').all() as Array<{ path: string; size: number; sha256: string }>;
    for (const row of rows) {
      const bytes = fs.readFileSync(path.join(dataDir, row.path));
      assert.equal(bytes.length, row.size, `${row.path} is complete`);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256, `${row.path} has the indexed content`);
    }
    const counts = db.prepare('SELECT (SELECT sum(instance_count) FROM series) AS bySeries, (SELECT sum(instance_count) FROM studies) AS byStudy').get() as {
      bySeries: number | null;
      byStudy: number | null;
    };
    assert.equal(counts.bySeries ?? 0, rows.length, 'series counts match the rows');
    assert.equal(counts.byStudy ?? 0, rows.length, 'study counts match the rows');
    return rows.length;
  } finally {
    db.close();
  }
}

test('SIGKILL at any moment leaves a sound store, and a re-run completes the import', async (t) => {
  const source = tempDir();
  writeStudy(source, { patientName: 'CRASH^TEST', patientId: 'CR1', seriesCount: SERIES, slicesPerSeries: SLICES, rows: 256, columns: 256 });
  const dataDir = path.join(tempDir(), 'store');
  const seen: number[] = [];
  // Each run resumes the last one: kill once it has added a few more, so every kill lands mid-import.
  for (let round = 0; round < 5; round++) {
    const code = await importAndKill(source, dataDir, (seen.at(-1) ?? 0) + 1 + round * 20);
    seen.push(checkStore(dataDir));
    if (code === 0) break; // finished before the kill
  }
  t.diagnostic(`instances indexed after each kill: ${seen.join(', ')} of ${TOTAL}`);
  assert.ok(seen.some((n) => n > 0 && n < TOTAL), `at least one kill landed mid-import (instances after each kill: ${seen.join(', ')})`);

  assert.equal(await importAndKill(source, dataDir, null), 0);
  assert.equal(checkStore(dataDir), TOTAL);
  const db = new Database(path.join(dataDir, 'noctis.sqlite'), { readonly: true });
  const jobs = db.prepare('SELECT status FROM import_jobs ORDER BY started_at').all() as Array<{ status: string }>;
  db.close();
  assert.equal(jobs.at(-1)?.status, 'completed');
  assert.ok(jobs.slice(0, -1).every((j) => j.status === 'interrupted' || j.status === 'completed'), 'killed jobs are marked interrupted');
});
