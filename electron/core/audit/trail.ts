// The tamper-evident audit trail: rows of audit_events chained by
// hash = sha256(prev_hash || canonicalJson(event)), the last link repeated in audit_head.
//
// What the chain proves: a row edited, deleted, inserted or moved by raw SQL shows, unless whoever
// did it also recomputed every later hash and the head (there is no secret key: anyone who can
// write the database file and read this code can rebuild the chain from the changed row on).
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import {
  AUDIT_EVENT_IDS,
  AUDIT_EVENT_TYPES,
  isAuditEventId,
  type AuditAction,
  type AuditEvent,
  type AuditEventId,
  type AuditEventType,
  type AuditOutcome,
  type AuditPage,
  type AuditProblem,
  type AuditVerifyResult,
} from '../../../shared/audit';
import { NoctisError } from '../errors';
import type { Db } from '../store/db';
import type { AuditExport, AuditFilter, AuditRecord, AuditTrail } from './types';

/** The prev_hash of event 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers: every column of an event but the hashes and the derived user_key. */
export interface HashedEvent {
  id: number;
  time: string;
  code: string;
  type_code: string | null;
  action: string;
  outcome: number;
  user: string;
  role: string | null;
  host: string;
  ae_title: string | null;
  patient_ids: readonly string[];
  study_uids: readonly string[];
  description: string;
}

// Sorted: the canonical form must not depend on how an object was built.
const HASHED_KEYS = ['ae_title', 'action', 'code', 'description', 'host', 'id', 'outcome', 'patient_ids', 'role', 'study_uids', 'time', 'type_code', 'user'] as const;

/** `{"ae_title":…,"action":…,…}`: fixed key order, no spaces, JSON.stringify for each value. */
export function canonicalJson(event: HashedEvent): string {
  return `{${HASHED_KEYS.map((key) => `${JSON.stringify(key)}:${JSON.stringify(event[key] ?? null)}`).join(',')}}`;
}

/** sha256 (hex) of the previous hash (hex) followed by the canonical JSON, as UTF-8. */
export function eventHash(prevHash: string, event: HashedEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(event)).digest('hex');
}

/** The user filter's key: as users.username_key, so "Ana" and "ana" are one user. */
export function userKey(user: string): string {
  return user.trim().toLowerCase();
}

interface EventRow {
  id: number;
  time: string;
  code: string;
  type_code: string | null;
  action: string;
  outcome: number;
  user: string;
  user_key: string;
  role: string | null;
  host: string;
  ae_title: string | null;
  patient_ids: string;
  study_uids: string;
  description: string;
  prev_hash: string;
  hash: string;
}

interface Head {
  last_id: number;
  last_hash: string;
}

const ACTIONS: readonly string[] = ['C', 'R', 'U', 'D', 'E'];
const OUTCOMES: readonly number[] = [0, 4, 8, 12];
const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;
const VERIFY_CHUNK = 5000;
/** Rows per slice of verifyInBackground before it lets other work run. */
const BACKGROUND_SLICE = 5000;
const NO_BEFORE = Number.MAX_SAFE_INTEGER;

// SQLite stores UTF-8: a lone surrogate would come back as U+FFFD and no longer match its hash.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

function invalid(field: string, value: unknown): NoctisError {
  return new NoctisError('VALIDATION_FAILED', { scope: 'audit', field, value });
}

function normalise(record: AuditRecord, host: string, id: number): HashedEvent {
  if (!isAuditEventId(record.code)) throw invalid('code', record.code);
  const typeCode = record.typeCode ?? null;
  if (typeCode !== null && !Object.prototype.hasOwnProperty.call(AUDIT_EVENT_TYPES, typeCode)) throw invalid('typeCode', typeCode);
  if (!ACTIONS.includes(record.action)) throw invalid('action', record.action);
  if (!OUTCOMES.includes(record.outcome)) throw invalid('outcome', record.outcome);
  if (typeof record.user !== 'string' || record.user.trim() === '') throw invalid('user', record.user);
  const time = record.time ?? new Date();
  if (Number.isNaN(time.getTime())) throw invalid('time', record.time);
  const text = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? null : wellFormed(String(value)));
  return {
    id,
    time: time.toISOString(),
    code: record.code,
    type_code: typeCode,
    action: record.action,
    outcome: record.outcome,
    user: wellFormed(record.user),
    role: text(record.role),
    host: wellFormed(host),
    ae_title: text(record.aeTitle),
    patient_ids: (record.patientIds ?? []).map((p) => wellFormed(String(p))),
    study_uids: (record.studyUids ?? []).map((s) => wellFormed(String(s))),
    description: wellFormed(String(record.description)),
  };
}

/** A JSON array of strings, or undefined when the text is not one (an edited row). */
function parseList(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The row as it was hashed (with `id` in place of its own), or undefined if its arrays are not arrays. */
function hashedOf(row: EventRow, id = row.id): HashedEvent | undefined {
  const patientIds = parseList(row.patient_ids);
  const studyUids = parseList(row.study_uids);
  if (!patientIds || !studyUids) return undefined;
  return {
    id,
    time: row.time,
    code: row.code,
    type_code: row.type_code,
    action: row.action,
    outcome: row.outcome,
    user: row.user,
    role: row.role,
    host: row.host,
    ae_title: row.ae_title,
    patient_ids: patientIds,
    study_uids: studyUids,
    description: row.description,
  };
}

/**
 * The row's hash recomputed with its stored array texts spliced in as they are: the same string
 * as canonicalJson for rows append wrote (JSON.stringify of the arrays), without parsing them;
 * any other spelling of the arrays no longer matches, which is right for a row changed by hand.
 */
function storedRowHash(row: EventRow): string {
  const v = JSON.stringify;
  const json =
    `{"ae_title":${v(row.ae_title)},"action":${v(row.action)},"code":${v(row.code)},"description":${v(row.description)},` +
    `"host":${v(row.host)},"id":${v(row.id)},"outcome":${v(row.outcome)},"patient_ids":${row.patient_ids},"role":${v(row.role)},` +
    `"study_uids":${row.study_uids},"time":${v(row.time)},"type_code":${v(row.type_code)},"user":${v(row.user)}}`;
  return createHash('sha256').update(row.prev_hash).update(json).digest('hex');
}

function hashesAs(row: EventRow, id: number): boolean {
  const hashed = hashedOf(row, id);
  return hashed !== undefined && eventHash(row.prev_hash, hashed) === row.hash;
}

function toEvent(row: EventRow): AuditEvent {
  return {
    eventId: row.id,
    time: row.time,
    code: row.code as AuditEventId,
    typeCode: row.type_code as AuditEventType | null,
    action: row.action as AuditAction,
    outcome: row.outcome as AuditOutcome,
    user: row.user,
    role: row.role,
    host: row.host,
    aeTitle: row.ae_title,
    patientIds: parseList(row.patient_ids) ?? [],
    studyUids: parseList(row.study_uids) ?? [],
    description: row.description,
  };
}

/** An ISO time with any offset, as the stored form (UTC with milliseconds) so strings compare. */
function isoBound(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw invalid(field, value);
  return t.toISOString();
}

interface Where {
  user?: string;
  code?: string;
  since?: string;
  until?: string;
  patientId?: string;
}

function normaliseFilter(filter: AuditFilter): Where {
  const user = filter.user?.trim() ? userKey(filter.user) : undefined;
  const patientId = filter.patientId?.trim() || undefined;
  if (filter.code !== undefined && !isAuditEventId(filter.code)) throw invalid('code', filter.code);
  return { user, code: filter.code, since: isoBound(filter.since, 'since'), until: isoBound(filter.until, 'until'), patientId };
}

/** Conditions on audit_events `e`; `plainTime` keeps the time index out of a plan driven by another one. */
function conditions(where: Where, plainTime: boolean): { sql: string[]; params: Array<string | number> } {
  const sql: string[] = [];
  const params: Array<string | number> = [];
  const time = plainTime ? '+e.time' : 'e.time';
  const add = (condition: string, value: string | undefined) => {
    if (value === undefined) return;
    sql.push(condition);
    params.push(value);
  };
  add('e.user_key = ?', where.user);
  add('e.code = ?', where.code);
  add(`${time} >= ?`, where.since);
  add(`${time} <= ?`, where.until);
  return { sql, params };
}

export function createAuditTrail(db: Db, options: { host: string }): AuditTrail {
  const host = options.host || 'localhost';
  const readHead = db.prepare<[], Head>('SELECT last_id, last_hash FROM audit_head WHERE id = 1');
  const lastEvent = db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1');
  const insertEvent = db.prepare(
    `INSERT INTO audit_events (id, time, code, type_code, action, outcome, user, user_key, role, host, ae_title, patient_ids, study_uids, description, prev_hash, hash)
     VALUES (@id, @time, @code, @type_code, @action, @outcome, @user, @user_key, @role, @host, @ae_title, @patient_ids, @study_uids, @description, @prev_hash, @hash)`,
  );
  const insertPatient = db.prepare('INSERT OR IGNORE INTO audit_patients (patient_id, event_id) VALUES (?, ?)');
  const writeHead = db.prepare(
    'INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash',
  );
  const chunkAfter = db.prepare<[number, number], EventRow>('SELECT * FROM audit_events WHERE id > ? ORDER BY id LIMIT ?');
  const byId = db.prepare<[number], EventRow>('SELECT * FROM audit_events WHERE id = ?');
  const maxId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM audit_events');
  const withHash = db.prepare<[string, number], { id: number }>('SELECT id FROM audit_events WHERE hash = ? AND id <> ? ORDER BY id LIMIT 1');
  const withPrevHash = db.prepare<[string, number], { id: number }>('SELECT id FROM audit_events WHERE prev_hash = ? AND id <> ? ORDER BY id LIMIT 1');

  const appendTx = db.transaction((record: AuditRecord): number => {
    // Without a head (never written, or deleted) the chain goes on from its last row.
    const head = readHead.get() ?? (() => {
      const last = lastEvent.get();
      return last ? { last_id: last.id, last_hash: last.hash } : { last_id: 0, last_hash: GENESIS_HASH };
    })();
    const event = normalise(record, host, head.last_id + 1);
    const hash = eventHash(head.last_hash, event);
    insertEvent.run({
      ...event,
      user_key: userKey(event.user),
      patient_ids: JSON.stringify(event.patient_ids),
      study_uids: JSON.stringify(event.study_uids),
      prev_hash: head.last_hash,
      hash,
    });
    for (const patientId of event.patient_ids) if (patientId !== '') insertPatient.run(patientId, event.id);
    writeHead.run(event.id, hash);
    return event.id;
  });

  // ---- verify -------------------------------------------------------------------------------
  //
  // Rows are read in id order. The first row that breaks one of these rules, checked in this
  // order, is the first bad event:
  //  1. id above the head's last_id (re-read, since other processes append)  → inserted, that id.
  //     An id below 1                                                         → inserted, that id.
  //  2. id above the one expected (previous + 1, or 1)                        → deleted, the expected id.
  //  3. hash ≠ sha256(prev_hash || canonical JSON with the row's id): find the id the content was
  //     hashed with, trying (in order) the id after the row whose hash is this prev_hash, the id
  //     before the row whose prev_hash is this hash, the head's last_id when it holds this hash,
  //     id − 1 and id + 1. None                                                → edited, this id.
  //     A later id, and its predecessor is in the table                       → reordered, this id.
  //     A later id, its predecessor is not (a row deleted, later ones renumbered) → deleted, this id.
  //     An earlier id j (rows put before it, later ones renumbered)           → inserted, j.
  //  4. prev_hash ≠ the previous row's hash (the row itself is sound):
  //     the next row links to this one, so the previous row was rewritten with a recomputed
  //     hash                                                                  → edited, id − 1;
  //     otherwise (or for event 1) this row was forged                        → inserted, this id.
  //  5. user_key ≠ the user lower-cased                                       → edited, this id.
  // After the last row, with a fresh head: head last_id above the last id    → deleted, last id + 1;
  // same id but another hash (the last row rewritten with a recomputed hash)  → edited, last id;
  // rows but no head                                                          → deleted, last id + 1.
  function* walk(): Generator<number, AuditVerifyResult, void> {
    const started = performance.now();
    let checked = 0;
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let head = readHead.get();
    let cursor = Number.MIN_SAFE_INTEGER;
    const done = (firstBad: AuditVerifyResult['firstBad']): AuditVerifyResult => ({
      ok: firstBad === null,
      checked,
      firstBad,
      durationMs: Math.round(performance.now() - started),
    });
    const bad = (eventId: number, problem: AuditProblem, detail: string) => done({ eventId, problem, detail });

    for (;;) {
      const rows = chunkAfter.all(cursor, VERIFY_CHUNK);
      if (rows.length === 0) {
        // Rows appended after the last read show up here: the head is read before looking again.
        head = readHead.get();
        if (chunkAfter.get(cursor, 1)) continue;
        break;
      }
      for (const row of rows) {
        checked++;
        cursor = row.id;
        if (head && row.id > head.last_id) head = readHead.get();
        if (head && row.id > head.last_id) return bad(row.id, 'inserted', `event ${row.id} is beyond the chain's last event (${head.last_id}): it was added outside the application`);
        if (row.id < 1) return bad(row.id, 'inserted', `event ${row.id} has an id no event is given: it was added outside the application`);
        if (row.id > expected) {
          const missing = row.id === expected + 1 ? `event ${expected} is missing` : `events ${expected}–${row.id - 1} are missing`;
          return bad(expected, 'deleted', `${missing} (the next event is ${row.id})`);
        }
        if (storedRowHash(row) !== row.hash) return mismatch(row, bad);
        if (row.prev_hash !== prevHash) {
          const next = byId.get(row.id + 1);
          if (row.id > 1 && next && next.prev_hash === row.hash) {
            return bad(row.id - 1, 'edited', `event ${row.id - 1} was rewritten with a recomputed hash: event ${row.id} no longer links to it`);
          }
          return bad(row.id, 'inserted', `event ${row.id} is self-consistent but does not link to ${row.id === 1 ? 'the start of the chain' : `event ${row.id - 1}`}: it was forged`);
        }
        if (row.user_key !== userKey(row.user)) return bad(row.id, 'edited', `event ${row.id}'s user key does not match its user`);
        prevHash = row.hash;
        expected = row.id + 1;
        if (checked % BACKGROUND_SLICE === 0) yield checked;
      }
    }
    const lastId = expected - 1;
    if (!head) return checked === 0 ? done(null) : bad(lastId + 1, 'deleted', `the chain's head record is missing: events after ${lastId} may have been deleted`);
    if (head.last_id > lastId) {
      const missing = head.last_id === lastId + 1 ? `event ${lastId + 1} is missing` : `events ${lastId + 1}–${head.last_id} are missing`;
      return bad(lastId + 1, 'deleted', `${missing}: the chain's head names event ${head.last_id} as the last`);
    }
    if (head.last_hash !== prevHash) return bad(lastId, 'edited', `event ${lastId} does not match the hash the chain's head holds for it: it was rewritten`);
    return done(null);
  }

  /** Rule 3: the row's hash does not match its content under its own id. */
  function mismatch(row: EventRow, bad: (eventId: number, problem: AuditProblem, detail: string) => AuditVerifyResult): AuditVerifyResult {
    const predecessor = withHash.get(row.prev_hash, row.id);
    const successor = withPrevHash.get(row.hash, row.id);
    const head = readHead.get();
    const candidates = [
      predecessor ? predecessor.id + 1 : undefined,
      successor ? successor.id - 1 : undefined,
      head && head.last_hash === row.hash ? head.last_id : undefined,
      row.id - 1,
      row.id + 1,
    ];
    const original = candidates.find((id) => id !== undefined && id !== row.id && id >= 1 && hashesAs(row, id));
    if (original === undefined) return bad(row.id, 'edited', `event ${row.id} does not match its hash: its content was changed`);
    if (original > row.id) {
      if (predecessor) return bad(row.id, 'reordered', `event ${row.id} holds the content of event ${original}: events were moved`);
      return bad(row.id, 'deleted', `event ${row.id} is missing: the events after it were renumbered (event ${original} now has id ${row.id})`);
    }
    return bad(original, 'inserted', `event ${original} was put into the chain: event ${original} now has id ${row.id}, later events were renumbered`);
  }

  function verify(): AuditVerifyResult {
    const steps = walk();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  async function verifyInBackground(): Promise<AuditVerifyResult> {
    const steps = walk();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  // ---- list and export ----------------------------------------------------------------------

  const statements = new Map<string, Statement<Array<string | number>, EventRow>>();
  function query(sql: string, params: Array<string | number>): EventRow[] {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare<Array<string | number>, EventRow>(sql)));
    return statement.all(...params);
  }
  function pluck(sql: string, params: Array<string | number>): number[] {
    return query(sql, params).map((row) => (row as unknown as { id: number }).id);
  }

  /**
   * The newest `count` events below `before`. Each filter drives its own index (patient through
   * audit_patients, user and code through (key, id) indexes) so a page reads about `count` rows.
   */
  function newest(where: Where, before: number, count: number): EventRow[] {
    if (where.patientId !== undefined || where.user !== undefined || where.code !== undefined) {
      const c = conditions(where, true);
      const rest = c.sql.map((s) => ` AND ${s}`).join('');
      if (where.patientId !== undefined) {
        // CROSS JOIN keeps audit_patients outer: its key (patient_id, event_id) gives the order.
        return query(
          `SELECT e.* FROM audit_patients p CROSS JOIN audit_events e ON e.id = p.event_id WHERE p.patient_id = ? AND p.event_id < ?${rest} ORDER BY p.event_id DESC LIMIT ?`,
          [where.patientId, before, ...c.params, count],
        );
      }
      const index = where.user !== undefined ? 'audit_events_user' : 'audit_events_code';
      return query(`SELECT e.* FROM audit_events e INDEXED BY ${index} WHERE e.id < ?${rest} ORDER BY e.id DESC LIMIT ?`, [before, ...c.params, count]);
    }
    if (where.since === undefined && where.until === undefined) {
      return query('SELECT e.* FROM audit_events e WHERE e.id < ? ORDER BY e.id DESC LIMIT ?', [before, count]);
    }
    return newestInTimeRange(where, before, count);
  }

  /**
   * A time range alone. Times follow ids only roughly (clocks, other processes), so neither index
   * order alone is enough: a small range is read whole from the time index and sorted; a large one
   * is walked down by id, first near `before`, then from the newest id in the range (found on the
   * time index, which covers id) when the range lies further back.
   */
  function newestInTimeRange(where: Where, before: number, count: number): EventRow[] {
    const PROBE = 2000;
    const WINDOW = 20000;
    before = Math.min(before, (maxId.get()?.id ?? 0) + 1);
    const onIndex = conditions(where, false);
    const timeSql = onIndex.sql.map((s) => ` AND ${s}`).join('');
    const ids = pluck(`SELECT e.id FROM audit_events e INDEXED BY audit_events_time WHERE e.id < ?${timeSql} LIMIT ?`, [before, ...onIndex.params, PROBE + 1]);
    if (ids.length <= PROBE) {
      const top = ids.sort((a, b) => b - a).slice(0, count);
      return top.map((id) => byId.get(id)).filter((row): row is EventRow => row !== undefined);
    }
    const plain = conditions(where, true);
    const plainSql = plain.sql.map((s) => ` AND ${s}`).join('');
    const near = query(`SELECT e.* FROM audit_events e WHERE e.id < ? AND e.id >= ?${plainSql} ORDER BY e.id DESC LIMIT ?`, [before, before - WINDOW, ...plain.params, count]);
    if (near.length >= count || before - WINDOW <= 1) return near;
    const [highest] = pluck(`SELECT max(e.id) AS id FROM audit_events e INDEXED BY audit_events_time WHERE e.id < ?${timeSql}`, [before - WINDOW, ...onIndex.params]);
    if (highest === null || highest === undefined) return near;
    const far = query(`SELECT e.* FROM audit_events e WHERE e.id <= ?${plainSql} ORDER BY e.id DESC LIMIT ?`, [highest, ...plain.params, count - near.length]);
    return [...near, ...far];
  }

  function oldest(where: Where, max: number): EventRow[] {
    const c = conditions(where, where.user !== undefined || where.code !== undefined || where.patientId !== undefined);
    const rest = c.sql.map((s) => ` AND ${s}`).join('');
    if (where.patientId !== undefined) {
      return query(`SELECT e.* FROM audit_patients p CROSS JOIN audit_events e ON e.id = p.event_id WHERE p.patient_id = ?${rest} ORDER BY p.event_id LIMIT ?`, [
        where.patientId,
        ...c.params,
        max,
      ]);
    }
    const index = where.user !== undefined ? ' INDEXED BY audit_events_user' : where.code !== undefined ? ' INDEXED BY audit_events_code' : '';
    return query(`SELECT e.* FROM audit_events e${index} WHERE 1${rest} ORDER BY e.id LIMIT ?`, [...c.params, max]);
  }

  return {
    append: (record) => appendTx.immediate(record),

    list(filter) {
      const { before, limit, ...rest } = filter;
      const count = Math.min(Math.max(Math.trunc(limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
      const where = normaliseFilter(rest);
      const rows = newest(where, before ?? NO_BEFORE, count + 1);
      const page = rows.slice(0, count).map(toEvent);
      return { events: page, nextBefore: rows.length > count ? page[page.length - 1].eventId : null } satisfies AuditPage;
    },

    export(filter, format, max = 100_000): AuditExport {
      const events = oldest(normaliseFilter(filter), Math.max(0, Math.trunc(max))).map(toEvent);
      const range = events.length > 0 ? `${events[0].eventId}-${events[events.length - 1].eventId}` : 'empty';
      return {
        format,
        filename: `noctis-audit-${range}.${format}`,
        count: events.length,
        content: format === 'csv' ? toCsv(events) : toXml(events),
      };
    },

    verify,
    verifyInBackground,
  };
}

// ---- CSV (RFC 4180) -----------------------------------------------------------------------------

const CSV_HEADER = ['eventId', 'time', 'code', 'event', 'typeCode', 'eventType', 'action', 'outcome', 'user', 'role', 'host', 'aeTitle', 'patientIds', 'studyUids', 'description'];

/** One field: a leading = + - @ (or tab, CR) gets a ' so spreadsheets do not run it as a formula; quoted when needed. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(events: readonly AuditEvent[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const e of events) {
    lines.push(
      [
        e.eventId,
        e.time,
        e.code,
        AUDIT_EVENT_IDS[e.code] ?? null,
        e.typeCode,
        e.typeCode ? (AUDIT_EVENT_TYPES[e.typeCode] ?? null) : null,
        e.action,
        e.outcome,
        e.user,
        e.role,
        e.host,
        e.aeTitle,
        // DICOM's own value separator: PatientID (LO) and UIDs cannot contain a backslash.
        e.patientIds.join('\\'),
        e.studyUids.join('\\'),
        e.description,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ---- XML: DICOM PS3.15 A.5.1 audit messages (the RFC 3881 schema) -------------------------------

// Characters XML 1.0 does not allow at all, even escaped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute value: markup characters escaped, whitespace kept through attribute normalisation. */
export function xmlEscape(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function element(name: string, attributes: Record<string, string | null | undefined>, children: string[] = [], indent = '  '): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('');
  if (children.length === 0) return `${indent}<${name}${attrs}/>`;
  return `${indent}<${name}${attrs}>\n${children.join('\n')}\n${indent}</${name}>`;
}

function code(name: string, csdCode: string, codeSystemName: string, originalText: string, indent: string): string {
  return element(name, { 'csd-code': csdCode, codeSystemName, originalText }, [], indent);
}

function auditMessage(e: AuditEvent): string {
  const i2 = '    ';
  const i3 = '      ';
  const identification = [code('EventID', e.code, 'DCM', AUDIT_EVENT_IDS[e.code] ?? e.code, i3)];
  if (e.typeCode) identification.push(code('EventTypeCode', e.typeCode, 'DCM', AUDIT_EVENT_TYPES[e.typeCode] ?? e.typeCode, i3));
  if (e.description) identification.push(`${i3}<EventOutcomeDescription>${xmlEscape(e.description)}</EventOutcomeDescription>`);
  const parts = [
    element('EventIdentification', { EventActionCode: e.action, EventDateTime: e.time, EventOutcomeIndicator: String(e.outcome) }, identification, i2),
    element(
      'ActiveParticipant',
      { UserID: e.user, UserIsRequestor: 'true', NetworkAccessPointID: e.host, NetworkAccessPointTypeCode: '1' },
      // Noctis roles are not DICOM codes: they are named in the application's own code system.
      e.role ? [code('RoleIDCode', e.role, 'Noctis', e.role, i3)] : [],
      i2,
    ),
  ];
  // The remote node of a network event, named by its AE title as PS3.15 A.5.3 asks.
  if (e.aeTitle) parts.push(element('ActiveParticipant', { UserID: e.aeTitle, AlternativeUserID: `AETITLES=${e.aeTitle}`, UserIsRequestor: 'false' }, [], i2));
  parts.push(element('AuditSourceIdentification', { AuditSourceID: e.host }, [], i2));
  for (const patientId of e.patientIds) {
    parts.push(
      element(
        'ParticipantObjectIdentification',
        { ParticipantObjectID: patientId, ParticipantObjectTypeCode: '1', ParticipantObjectTypeCodeRole: '1' },
        [code('ParticipantObjectIDTypeCode', '2', 'RFC-3881', 'Patient Number', i3)],
        i2,
      ),
    );
  }
  for (const studyUid of e.studyUids) {
    parts.push(
      element(
        'ParticipantObjectIdentification',
        { ParticipantObjectID: studyUid, ParticipantObjectTypeCode: '2', ParticipantObjectTypeCodeRole: '3' },
        [code('ParticipantObjectIDTypeCode', '110180', 'DCM', 'Study Instance UID', i3)],
        i2,
      ),
    );
  }
  // The chain position has no place in the schema: a comment keeps it without breaking validation.
  return `  <!-- eventId ${e.eventId} -->\n  <AuditMessage>\n${parts.join('\n')}\n  </AuditMessage>`;
}

function toXml(events: readonly AuditEvent[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<AuditMessages>\n${events.map(auditMessage).join('\n')}${events.length > 0 ? '\n' : ''}</AuditMessages>\n`;
}
