// Benchmark of the audit trail (not a test): fills a temporary store with a chained trail, then
// times list() pages the way the viewer asks for them and a full verify().
//
//   npm run bench:audit [-- --events 1000000 --samples 200 --json FILE]
//
// The fill goes through append() inside one transaction, so every hash is the real chain. Cases:
// no filter (first page), deep pages (a keyset walk and random starting points), user, code,
// date range (a recent week, a day in the middle, a month far back, the whole year), patient.
// Target: 50 ms per page at p95 for each case. The store is removed at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditEventId } from '../../shared/audit';
import { createAuditTrail } from '../../electron/core/audit/trail';
import type { AuditFilter } from '../../electron/core/audit/types';
import { openDb } from '../../electron/core/store/db';

const TARGET_P95_MS = 50;
const PAGE = 50;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '200' },
    json: { type: 'string' },
  },
});
const EVENTS = Number(values.events);
const SAMPLES = Number(values.samples);

// A deterministic generator: runs compare with each other.
let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const USERS = [...Array.from({ length: 40 }, (_, i) => `user${i}`), 'system', 'cli:admin'];
/** Weighted: study opens dominate, as on a reading workstation. */
const CODES: AuditEventId[] = [...Array<AuditEventId>(12).fill('110103'), '110114', '110114', '110112', '110107', '110106', '110100', '110113', '110101'];
const PATIENTS = 20_000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface CaseResult {
  name: string;
  samples: number;
  p50: number;
  p95: number;
  max: number;
  pass: boolean;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-bench-audit-'));
  const results: CaseResult[] = [];
  try {
    const db = openDb(path.join(dir, 'noctis.sqlite'));
    const trail = createAuditTrail(db, { host: 'bench-host' });
    const start = Date.UTC(2026, 0, 1);
    const step = YEAR_MS / EVENTS;

    const fillStarted = performance.now();
    db.transaction(() => {
      for (let i = 0; i < EVENTS; i++) {
        const code = pick(CODES);
        const patient = code === '110103' || code === '110107' || code === '110106' ? [`P${Math.floor(random() * PATIENTS)}`] : [];
        trail.append({
          code,
          typeCode: code === '110114' ? '110122' : null,
          action: code === '110103' ? 'R' : 'E',
          outcome: random() < 0.02 ? 4 : 0,
          user: pick(USERS),
          role: 'radiologist',
          patientIds: patient,
          studyUids: patient.length > 0 ? [`1.2.826.0.1.3680043.8.498.${i}`] : [],
          description: code === '110103' ? 'study opened' : `event ${i}`,
          // Mostly in order, as clocks are; one in a thousand a little behind.
          time: new Date(start + i * step - (random() < 0.001 ? 60_000 : 0)),
        });
      }
    })();
    const fillMs = performance.now() - fillStarted;
    const sizeMb = fs.statSync(path.join(dir, 'noctis.sqlite')).size / 1e6 + (fs.existsSync(path.join(dir, 'noctis.sqlite-wal')) ? fs.statSync(path.join(dir, 'noctis.sqlite-wal')).size / 1e6 : 0);
    console.log(`fill: ${EVENTS} events in ${(fillMs / 1000).toFixed(1)} s (${Math.round(EVENTS / (fillMs / 1000))} events/s), store ${sizeMb.toFixed(0)} MB`);

    const measure = (name: string, run: (i: number) => void) => {
      run(0); // the first call prepares its statement
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t = performance.now();
        run(i);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const r = { name, samples: SAMPLES, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times[times.length - 1], pass: quantile(times, 0.95) <= TARGET_P95_MS };
      results.push(r);
      console.log(`${name.padEnd(42)} p50 ${r.p50.toFixed(2).padStart(7)} ms  p95 ${r.p95.toFixed(2).padStart(7)} ms  max ${r.max.toFixed(2).padStart(7)} ms  ${r.pass ? 'PASS' : 'FAIL'}`);
    };
    const iso = (ms: number) => new Date(start + ms).toISOString();
    const DAY = 24 * 3600 * 1000;
    /** A page of the filter, `pages` pages in (a keyset walk), restarting after each sample. */
    const walker = (filter: AuditFilter) => {
      let before: number | undefined;
      return () => {
        const page = trail.list({ ...filter, before, limit: PAGE });
        before = page.nextBefore ?? undefined;
      };
    };

    measure('no filter, first page', () => trail.list({ limit: PAGE }));
    measure('no filter, keyset walk (next pages)', walker({}));
    measure('no filter, random deep page', () => trail.list({ before: 1 + Math.floor(random() * EVENTS), limit: PAGE }));
    measure('user, first page (random user)', () => trail.list({ user: pick(USERS).toUpperCase(), limit: PAGE }));
    measure('user, keyset walk', walker({ user: 'user7' }));
    measure('user, random deep page', () => trail.list({ user: pick(USERS), before: 1 + Math.floor(random() * EVENTS), limit: PAGE }));
    measure('code, first page (common: 110103)', () => trail.list({ code: '110103', limit: PAGE }));
    measure('code, first page (rare: 110101)', () => trail.list({ code: '110101', limit: PAGE }));
    measure('code, keyset walk (110113)', walker({ code: '110113' }));
    measure('date, a recent week', () => trail.list({ since: iso(YEAR_MS - 7 * DAY), until: iso(YEAR_MS), limit: PAGE }));
    measure('date, one day in the middle', () => {
      const day = Math.floor(random() * 360) * DAY;
      trail.list({ since: iso(day), until: iso(day + DAY - 1), limit: PAGE });
    });
    measure('date, a month far back (January)', () => trail.list({ since: iso(0), until: iso(31 * DAY - 1), limit: PAGE }));
    measure('date, a month far back, keyset walk', walker({ since: iso(0), until: iso(31 * DAY - 1) }));
    measure('date, the whole year', () => trail.list({ since: iso(0), until: iso(YEAR_MS), limit: PAGE }));
    measure('date, since only (last 6 months)', () => trail.list({ since: iso(YEAR_MS / 2), limit: PAGE }));
    measure('patient, first page (random patient)', () => trail.list({ patientId: `P${Math.floor(random() * PATIENTS)}`, limit: PAGE }));
    measure('user + date (combined)', () => trail.list({ user: pick(USERS), since: iso(100 * DAY), until: iso(130 * DAY), limit: PAGE }));

    const verifyStarted = performance.now();
    const verified = trail.verify();
    const verifyMs = performance.now() - verifyStarted;
    console.log(`verify: ${verified.checked} events in ${(verifyMs / 1000).toFixed(2)} s (${Math.round(verified.checked / (verifyMs / 1000))} events/s), ok=${verified.ok}`);

    const exportStarted = performance.now();
    const exported = trail.export({}, 'csv');
    console.log(`export: ${exported.count} events as CSV (${(exported.content.length / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - exportStarted)} ms`);

    const failed = results.filter((r) => !r.pass);
    console.log(failed.length === 0 ? `PASS: every case within ${TARGET_P95_MS} ms at p95` : `FAIL: ${failed.map((r) => r.name).join('; ')}`);
    if (values.json) fs.writeFileSync(values.json, JSON.stringify({ events: EVENTS, fillMs, sizeMb, verifyMs, verifyOk: verified.ok, cases: results }, null, 2));
    db.close();
    process.exitCode = failed.length === 0 && verified.ok ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
