// The audit trail on a real SQLite file: tampering by raw SQL is named, paging and exports are
// exact, two processes appending at once keep one chain, and the CLI exits 1 on a broken chain.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { AuditEvent, AuditVerifyResult } from '../../shared/audit';
import { eventHash, type HashedEvent, createAuditTrail } from '../../electron/core/audit/trail';
import type { AuditFilter, AuditRecord, AuditTrail } from '../../electron/core/audit/types';
import { openDb, type Db } from '../../electron/core/store/db';
import { REPO_ROOT, tempDir } from '../helpers';

const HOST = 'ws-test';

function freshStore(): { file: string; db: Db; trail: AuditTrail } {
  const file = path.join(tempDir(), 'noctis.sqlite');
  const db = openDb(file);
  return { file, db, trail: createAuditTrail(db, { host: HOST }) };
}

function record(i: number): AuditRecord {
  return {
    code: i % 3 === 0 ? '110114' : '110103',
    typeCode: i % 3 === 0 ? '110122' : null,
    action: i % 3 === 0 ? 'E' : 'R',
    outcome: 0,
    user: `user${i % 4}`,
    role: 'radiologist',
    patientIds: [`P${i % 5}`],
    studyUids: [`1.2.3.${i}`],
    description: `event number ${i}`,
    time: new Date(Date.UTC(2026, 11, 1) + i * 60_000),
  };
}

/** A store with `count` events (1..count). */
function chainOf(count: number) {
  const store = freshStore();
  for (let i = 1; i <= count; i++) store.trail.append(record(i));
  return store;
}

/** Raw SQL on the database file through a second connection, as someone with the file would. */
function tamper(file: string, change: (raw: Database.Database) => void): void {
  const raw = new Database(file);
  try {
    change(raw);
  } finally {
    raw.close();
  }
}

interface RawRow extends Omit<HashedEvent, 'patient_ids' | 'study_uids'> {
  patient_ids: string;
  study_uids: string;
  user_key: string;
  prev_hash: string;
  hash: string;
}

function rowOf(raw: Database.Database, id: number): RawRow {
  return raw.prepare<[number], RawRow>('SELECT * FROM audit_events WHERE id = ?').get(id)!;
}

/** The hash the application would have written for `row` at `id` after `prevHash`. */
function forgedHash(row: RawRow, id: number, prevHash: string): string {
  return eventHash(prevHash, { ...row, id, patient_ids: JSON.parse(row.patient_ids) as string[], study_uids: JSON.parse(row.study_uids) as string[] });
}

const COLUMNS = ['time', 'code', 'type_code', 'action', 'outcome', 'user', 'user_key', 'role', 'host', 'ae_title', 'patient_ids', 'study_uids', 'description', 'prev_hash', 'hash'] as const;

function insertRow(raw: Database.Database, row: RawRow): void {
  raw.prepare(`INSERT INTO audit_events (id, ${COLUMNS.join(', ')}) VALUES (@id, ${COLUMNS.map((c) => `@${c}`).join(', ')})`).run(row);
}

function assertBad(result: AuditVerifyResult, eventId: number, problem: string): void {
  assert.equal(result.ok, false, 'the chain is reported broken');
  assert.ok(result.firstBad, 'the first bad event is named');
  assert.deepEqual({ eventId: result.firstBad.eventId, problem: result.firstBad.problem }, { eventId, problem }, result.firstBad.detail);
  assert.match(result.firstBad.detail, new RegExp(`\\b${eventId}\\b`), 'the detail names the event');
}

test('a sound chain verifies: ids 1..n, each row linked to the one before and the head to the last', async () => {
  const { file, trail } = chainOf(40);
  const result = trail.verify();
  assert.deepEqual({ ok: result.ok, checked: result.checked, firstBad: result.firstBad }, { ok: true, checked: 40, firstBad: null });
  assert.equal(typeof result.durationMs, 'number');
  // The same answer, however long each walk took.
  const { durationMs: _background, ...background } = await trail.verifyInBackground();
  const { durationMs: _direct, ...direct } = result;
  assert.deepEqual(background, direct);
  tamper(file, (raw) => {
    const rows = raw.prepare<[], { id: number; prev_hash: string; hash: string }>('SELECT id, prev_hash, hash FROM audit_events ORDER BY id').all();
    assert.deepEqual(
      rows.map((r) => r.id),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.equal(rows[0].prev_hash, '0'.repeat(64));
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
    assert.deepEqual(raw.prepare('SELECT last_id, last_hash FROM audit_head').get(), { last_id: 40, last_hash: rows[39].hash });
  });
});

test('an edited description is named as edited', () => {
  const { file, trail } = chainOf(40);
  tamper(file, (raw) => raw.prepare("UPDATE audit_events SET description = 'nothing happened' WHERE id = 17").run());
  assertBad(trail.verify(), 17, 'edited');
});

test('an edited user, patient list or prev_hash is named as edited', () => {
  for (const sql of [
    "UPDATE audit_events SET user = 'someone', user_key = 'someone' WHERE id = 9",
    `UPDATE audit_events SET patient_ids = '["P9"]' WHERE id = 9`,
    "UPDATE audit_events SET patient_ids = 'not json' WHERE id = 9",
    `UPDATE audit_events SET prev_hash = '${'1'.repeat(64)}' WHERE id = 9`,
    "UPDATE audit_events SET user_key = 'someone' WHERE id = 9",
  ]) {
    const { file, trail } = chainOf(20);
    tamper(file, (raw) => raw.prepare(sql).run());
    assertBad(trail.verify(), 9, 'edited');
  }
});

test('an event rewritten with a recomputed hash is named: the next one no longer links, or the head differs', () => {
  const middle = chainOf(30);
  tamper(middle.file, (raw) => {
    const row = rowOf(raw, 12);
    const edited = { ...row, description: 'rewritten' };
    raw.prepare('UPDATE audit_events SET description = ?, hash = ? WHERE id = 12').run(edited.description, forgedHash(edited, 12, row.prev_hash));
  });
  assertBad(middle.trail.verify(), 12, 'edited');

  const last = chainOf(30);
  tamper(last.file, (raw) => {
    const row = rowOf(raw, 30);
    const edited = { ...row, description: 'rewritten' };
    raw.prepare('UPDATE audit_events SET description = ?, hash = ? WHERE id = 30').run(edited.description, forgedHash(edited, 30, row.prev_hash));
  });
  assertBad(last.trail.verify(), 30, 'edited');
});

test('a deleted middle event is named as deleted, by its missing id', () => {
  const { file, trail } = chainOf(40);
  tamper(file, (raw) => raw.prepare('DELETE FROM audit_events WHERE id = 23').run());
  assertBad(trail.verify(), 23, 'deleted');

  const first = chainOf(5);
  tamper(first.file, (raw) => raw.prepare('DELETE FROM audit_events WHERE id = 1').run());
  assertBad(first.trail.verify(), 1, 'deleted');
});

test('deleting the newest events shows through the head, also after the application appended again', () => {
  const { file, trail } = chainOf(40);
  tamper(file, (raw) => raw.prepare('DELETE FROM audit_events WHERE id = 40').run());
  assertBad(trail.verify(), 40, 'deleted');
  trail.append(record(41));
  assertBad(trail.verify(), 40, 'deleted');

  const several = chainOf(40);
  tamper(several.file, (raw) => raw.prepare('DELETE FROM audit_events WHERE id >= 38').run());
  assertBad(several.trail.verify(), 38, 'deleted');

  const everything = chainOf(3);
  tamper(everything.file, (raw) => raw.prepare('DELETE FROM audit_events').run());
  assertBad(everything.trail.verify(), 1, 'deleted');
});

test('a deleted event with the later ones renumbered down is named as deleted', () => {
  const { file, trail } = chainOf(20);
  tamper(file, (raw) => {
    raw.prepare('DELETE FROM audit_events WHERE id = 8').run();
    for (let id = 9; id <= 20; id++) raw.prepare('UPDATE audit_events SET id = id - 1 WHERE id = ?').run(id);
    raw.prepare('UPDATE audit_head SET last_id = 19').run();
  });
  assertBad(trail.verify(), 8, 'deleted');
});

test('a forged event appended by SQL is named as inserted, linked or not, head updated or not', () => {
  // Linked to the last event and self-consistent, but the head was left alone.
  const beyondHead = chainOf(30);
  tamper(beyondHead.file, (raw) => {
    const last = rowOf(raw, 30);
    const forged = { ...last, id: 31, description: 'forged', time: '2026-12-30T00:00:00.000Z' };
    insertRow(raw, { ...forged, prev_hash: last.hash, hash: forgedHash(forged, 31, last.hash) });
  });
  assertBad(beyondHead.trail.verify(), 31, 'inserted');

  // Self-consistent, head moved along, but it does not link to event 30.
  const withHead = chainOf(30);
  tamper(withHead.file, (raw) => {
    const last = rowOf(raw, 30);
    const prev = 'f'.repeat(64);
    const forged = { ...last, id: 31, description: 'forged', prev_hash: prev };
    const hash = forgedHash(forged, 31, prev);
    insertRow(raw, { ...forged, hash });
    raw.prepare('UPDATE audit_head SET last_id = 31, last_hash = ?').run(hash);
  });
  assertBad(withHead.trail.verify(), 31, 'inserted');

  // An id no event gets.
  const zero = chainOf(5);
  tamper(zero.file, (raw) => insertRow(raw, { ...rowOf(raw, 1), id: 0 }));
  assertBad(zero.trail.verify(), 0, 'inserted');
});

test('a forged event put in the middle, later events renumbered up, is named as inserted', () => {
  const { file, trail } = chainOf(30);
  tamper(file, (raw) => {
    for (let id = 30; id >= 15; id--) raw.prepare('UPDATE audit_events SET id = id + 1 WHERE id = ?').run(id);
    const before = rowOf(raw, 14);
    const forged = { ...before, id: 15, description: 'forged in the middle' };
    // It links to event 14 and hashes right: only the renumbered rows give it away.
    insertRow(raw, { ...forged, prev_hash: before.hash, hash: forgedHash(forged, 15, before.hash) });
    raw.prepare('UPDATE audit_head SET last_id = 31').run();
  });
  assertBad(trail.verify(), 15, 'inserted');
});

test('a forged event in place of a deleted one is named as inserted', () => {
  const { file, trail } = chainOf(30);
  tamper(file, (raw) => {
    const original = rowOf(raw, 20);
    raw.prepare('DELETE FROM audit_events WHERE id = 20').run();
    const forged = { ...original, description: 'replacement', prev_hash: 'a'.repeat(64) };
    insertRow(raw, { ...forged, hash: forgedHash(forged, 20, forged.prev_hash) });
  });
  assertBad(trail.verify(), 20, 'inserted');
});

test('two events with their contents swapped are named as reordered, at the earlier one', () => {
  const swap = (raw: Database.Database, a: number, b: number) => {
    // Moving rows by id: -1 is free while the two change places.
    raw.prepare('UPDATE audit_events SET id = -1 WHERE id = ?').run(a);
    raw.prepare('UPDATE audit_events SET id = ? WHERE id = ?').run(a, b);
    raw.prepare('UPDATE audit_events SET id = ? WHERE id = -1').run(b);
  };
  const apart = chainOf(40);
  tamper(apart.file, (raw) => swap(raw, 12, 31));
  assertBad(apart.trail.verify(), 12, 'reordered');

  const adjacent = chainOf(40);
  tamper(adjacent.file, (raw) => swap(raw, 25, 26));
  assertBad(adjacent.trail.verify(), 25, 'reordered');

  // The same by copying every column but the id from one row to the other.
  const copied = chainOf(40);
  tamper(copied.file, (raw) => {
    const a = rowOf(raw, 5);
    const b = rowOf(raw, 9);
    const set = raw.prepare(`UPDATE audit_events SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @target`);
    set.run({ ...b, target: 5 });
    set.run({ ...a, target: 9 });
  });
  assertBad(copied.trail.verify(), 5, 'reordered');
});

test('verifyInBackground gives the same answer and lets other work run while it reads', async () => {
  const { db, file, trail } = freshStore();
  db.transaction(() => {
    for (let i = 1; i <= 12_000; i++) trail.append(record(i));
  })();
  const sound = await trail.verifyInBackground();
  assert.equal(sound.ok, true);
  assert.equal(sound.checked, 12_000);
  // Resolved within one turn it would beat an immediate scheduled after it started.
  let between = 0;
  const walking = trail.verifyInBackground();
  setImmediate(() => between++);
  await walking;
  assert.ok(between > 0, 'an immediate scheduled after the start ran before the walk ended');
  tamper(file, (raw) => raw.prepare("UPDATE audit_events SET action = 'D' WHERE id = 11000").run());
  assertBad(await trail.verifyInBackground(), 11_000, 'edited');
  assert.deepEqual(trail.verify().firstBad, (await trail.verifyInBackground()).firstBad);
});

// ---- list ---------------------------------------------------------------------------------------

/** Every page of a filter, following nextBefore. */
function allPages(trail: AuditTrail, filter: AuditFilter, limit: number): AuditEvent[] {
  const seen: AuditEvent[] = [];
  let before: number | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = trail.list({ ...filter, before, limit });
    assert.ok(page.events.length <= limit);
    seen.push(...page.events);
    if (page.nextBefore === null) return seen;
    assert.equal(page.nextBefore, page.events[page.events.length - 1].eventId);
    before = page.nextBefore;
  }
  throw new Error('paging did not end');
}

test('paging returns every matching event exactly once, newest first, for each filter', () => {
  const { trail } = freshStore();
  const appended: AuditEvent[] = [];
  for (let i = 1; i <= 301; i++) {
    const r = record(i);
    const id = trail.append({ ...r, user: i % 7 === 0 ? 'Ölaf' : r.user, patientIds: i % 11 === 0 ? ['P1', 'P2'] : r.patientIds });
    appended.push(trail.list({ before: id + 1, limit: 1 }).events[0]);
  }
  const newestFirst = [...appended].reverse();
  const since = '2026-12-01T01:00:00.000Z';
  const until = '2026-12-01T03:00:00+00:00';
  const cases: Array<[AuditFilter, (e: AuditEvent) => boolean]> = [
    [{}, () => true],
    [{ user: 'USER1' }, (e) => e.user === 'user1'],
    [{ user: 'ölaf' }, (e) => e.user === 'Ölaf'],
    [{ code: '110114' }, (e) => e.code === '110114'],
    [{ since }, (e) => e.time >= since],
    [{ until }, (e) => e.time <= '2026-12-01T03:00:00.000Z'],
    [{ since, until }, (e) => e.time >= since && e.time <= '2026-12-01T03:00:00.000Z'],
    [{ patientId: 'P2' }, (e) => e.patientIds.includes('P2')],
    [{ user: 'user2', since, code: '110103' }, (e) => e.user === 'user2' && e.time >= since && e.code === '110103'],
    [{ patientId: 'P1', until }, (e) => e.patientIds.includes('P1') && e.time <= '2026-12-01T03:00:00.000Z'],
    [{ user: 'nobody' }, () => false],
  ];
  for (const [filter, matches] of cases) {
    const expected = newestFirst.filter(matches).map((e) => e.eventId);
    assert.ok(expected.length > 0 || filter.user === 'nobody', `case ${JSON.stringify(filter)} has events`);
    for (const limit of [7, 50]) {
      const ids = allPages(trail, filter, limit).map((e) => e.eventId);
      assert.deepEqual(ids, expected, `${JSON.stringify(filter)}, ${limit} per page`);
    }
  }
  assert.deepEqual(trail.list({ limit: 1 }).events[0], {
    eventId: 301,
    time: '2026-12-01T05:01:00.000Z',
    code: '110103',
    typeCode: null,
    action: 'R',
    outcome: 0,
    user: 'Ölaf', // 301 is a multiple of 7
    role: 'radiologist',
    host: HOST,
    aeTitle: null,
    patientIds: ['P1'],
    studyUids: ['1.2.3.301'],
    description: 'event number 301',
  });
  assert.equal(trail.list({ limit: 301 }).nextBefore, null, 'a page holding the last event says there is no more');
});

test('a date range over a large trail pages exactly: far behind the newest event, and with clocks out of order', () => {
  const { db, trail } = freshStore();
  const base = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    for (let i = 1; i <= 26_000; i++) trail.append({ ...record(i), time: new Date(base + i * 1000) });
    // Events whose clock was behind: inside the range though appended last.
    for (let i = 1; i <= 3; i++) trail.append({ ...record(i), time: new Date(base + 100_000 + i), description: `late ${i}` });
  })();
  const since = new Date(base + 1000).toISOString();
  const until = new Date(base + 3500 * 1000).toISOString();
  const ids = allPages(trail, { since, until }, 50).map((e) => e.eventId);
  const expected = [26_003, 26_002, 26_001, ...Array.from({ length: 3500 }, (_, i) => 3500 - i)];
  assert.deepEqual(ids, expected);
  // A range near the newest events, larger than the probe: walked down by id.
  const recent = allPages(trail, { since: new Date(base + 20_000_000).toISOString() }, 50);
  assert.deepEqual(
    recent.map((e) => e.eventId),
    Array.from({ length: 6001 }, (_, i) => 26_000 - i),
  );
  // A small range in the middle: read whole from the time index.
  const small = allPages(trail, { since: new Date(base + 10_000_000).toISOString(), until: new Date(base + 10_099_000).toISOString() }, 30);
  assert.deepEqual(
    small.map((e) => e.eventId),
    Array.from({ length: 100 }, (_, i) => 10_099 - i),
  );
});

test('append refuses what is not an audit event', () => {
  const { trail } = freshStore();
  const good = record(1);
  for (const bad of [
    { ...good, code: '999999' },
    { ...good, typeCode: '123' },
    { ...good, action: 'X' },
    { ...good, outcome: 3 },
    { ...good, user: ' ' },
    { ...good, time: new Date('not a date') },
  ]) {
    assert.throws(() => trail.append(bad as AuditRecord), { code: 'VALIDATION_FAILED' });
  }
  assert.equal(trail.list({}).events.length, 0, 'nothing was written');
  assert.equal(trail.append(good), 1);
});

// ---- export -------------------------------------------------------------------------------------

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      records.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  assert.equal(row.length + field.length, 0, 'the CSV ends with CRLF');
  return records;
}

test('CSV export: header, oldest first, RFC 4180 quoting, formula guard, at most max events', () => {
  const { trail } = freshStore();
  trail.append({ ...record(1), description: 'plain' });
  trail.append({ ...record(2), user: '=cmd|calc', description: 'says "hi", then\r\nleaves' });
  trail.append({ ...record(3), description: '+SUM(A1)', patientIds: ['P1', 'P2'], aeTitle: '@REMOTE' });
  trail.append({ ...record(4), description: '-1 and @x' });
  const exported = trail.export({}, 'csv');
  assert.equal(exported.format, 'csv');
  assert.equal(exported.count, 4);
  assert.equal(exported.filename, 'noctis-audit-1-4.csv');
  const rows = parseCsv(exported.content);
  assert.deepEqual(rows[0], ['eventId', 'time', 'code', 'event', 'typeCode', 'eventType', 'action', 'outcome', 'user', 'role', 'host', 'aeTitle', 'patientIds', 'studyUids', 'description']);
  assert.deepEqual(
    rows.slice(1).map((r) => r[0]),
    ['1', '2', '3', '4'],
  );
  assert.equal(rows[2][8], "'=cmd|calc");
  assert.equal(rows[2][14], 'says "hi", then\r\nleaves');
  assert.equal(rows[3][14], "'+SUM(A1)");
  assert.equal(rows[3][11], "'@REMOTE");
  assert.equal(rows[3][12], 'P1\\P2');
  assert.equal(rows[4][14], "'-1 and @x");
  assert.deepEqual(rows[3].slice(2, 8), ['110114', 'User Authentication', '110122', 'Login', 'E', '0']);
  assert.ok(exported.content.includes('"says ""hi"", then\r\nleaves"'));

  const limited = trail.export({}, 'csv', 2);
  assert.equal(limited.count, 2);
  assert.equal(limited.filename, 'noctis-audit-1-2.csv');
  const filtered = trail.export({ user: 'USER0' }, 'csv');
  assert.deepEqual(
    parseCsv(filtered.content)
      .slice(1)
      .map((r) => r[0]),
    ['4'],
  );
  assert.equal(trail.export({ user: 'nobody' }, 'csv').filename, 'noctis-audit-empty.csv');
});

function hasXmllint(): boolean {
  return spawnSync('xmllint', ['--version']).status === 0;
}

/** Start and end tags balance (the check where xmllint is not installed). */
function assertBalanced(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&[a-z#0-9]+;[^"<&]*)*")*)\s*(\/?)>/g)) {
    if (m[1]) assert.equal(stack.pop(), m[2]);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(body.replace(/<[^>]*>/g, ''), /[<>]|&(?![a-z]+;|#\d+;)/, 'text holds no raw markup');
}

test('XML export: well-formed DICOM audit messages carrying the DCM codes, participants and objects', () => {
  const { trail } = freshStore();
  trail.append({
    code: '110114',
    typeCode: '110122',
    action: 'E',
    outcome: 4,
    user: 'ana <admin> & "co"',
    role: 'admin',
    description: 'bad password\u0000\u0007 for <ana> & co',
  });
  trail.append({ ...record(2), patientIds: ['PAT&1'], studyUids: ['1.2.840.1'], aeTitle: 'REMOTE_AE' });
  const exported = trail.export({}, 'xml');
  assert.equal(exported.filename, 'noctis-audit-1-2.xml');
  const xml = exported.content;
  if (hasXmllint()) {
    const file = path.join(tempDir(), exported.filename);
    fs.writeFileSync(file, xml);
    const lint = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    const count = spawnSync('xmllint', ['--xpath', 'count(/AuditMessages/AuditMessage)', file], { encoding: 'utf8' });
    assert.equal(count.stdout.trim(), '2');
  }
  assertBalanced(xml);
  assert.equal(xml.match(/<AuditMessage>/g)?.length, 2);
  assert.ok(xml.includes('<EventIdentification EventActionCode="E" EventDateTime="'));
  assert.ok(xml.includes('EventOutcomeIndicator="4"'));
  assert.ok(xml.includes('<EventID csd-code="110114" codeSystemName="DCM" originalText="User Authentication"/>'));
  assert.ok(xml.includes('<EventTypeCode csd-code="110122" codeSystemName="DCM" originalText="Login"/>'));
  assert.ok(xml.includes('UserID="ana &lt;admin&gt; &amp; &quot;co&quot;" UserIsRequestor="true" NetworkAccessPointID="ws-test" NetworkAccessPointTypeCode="1"'));
  assert.ok(xml.includes('<RoleIDCode csd-code="admin"'));
  assert.ok(xml.includes('<AuditSourceIdentification AuditSourceID="ws-test"/>'));
  assert.ok(xml.includes('bad password for &lt;ana&gt; &amp; co'), 'control characters dropped, markup escaped');
  assert.ok(xml.includes('<EventID csd-code="110103" codeSystemName="DCM" originalText="DICOM Instances Accessed"/>'));
  assert.match(xml, /<ParticipantObjectIdentification ParticipantObjectID="PAT&amp;1" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">\s*<ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"\/>/);
  assert.match(xml, /<ParticipantObjectIdentification ParticipantObjectID="1.2.840.1" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3">\s*<ParticipantObjectIDTypeCode csd-code="110180" codeSystemName="DCM" originalText="Study Instance UID"\/>/);
  assert.ok(xml.includes('AlternativeUserID="AETITLES=REMOTE_AE" UserIsRequestor="false"'));
});

// ---- processes ----------------------------------------------------------------------------------

test('two processes appending 200 events each at once make one chain of 400 with no gaps', async () => {
  const { file, db, trail } = freshStore();
  const dir = tempDir();
  const child = path.join(dir, 'append.ts');
  const trailModule = path.join(REPO_ROOT, 'electron', 'core', 'audit', 'trail.ts');
  const dbModule = path.join(REPO_ROOT, 'electron', 'core', 'store', 'db.ts');
  fs.writeFileSync(
    child,
    `import { createAuditTrail } from ${JSON.stringify(trailModule)};
import { openDb } from ${JSON.stringify(dbModule)};
const [file, who, startAt] = process.argv.slice(2);
const trail = createAuditTrail(openDb(file), { host: who });
while (Date.now() < Number(startAt)) {}
for (let i = 0; i < 200; i++) trail.append({ code: '110100', action: 'E', outcome: 0, user: who, description: who + ' ' + i });
`,
  );
  const startAt = String(Date.now() + 2500);
  const run = (who: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', child, file, who, startAt], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) => resolve({ code, stderr }));
    });
  const results = await Promise.all([run('proc-a'), run('proc-b')]);
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const result = trail.verify();
  assert.deepEqual({ ok: result.ok, checked: result.checked, firstBad: result.firstBad }, { ok: true, checked: 400, firstBad: null });
  const ids = db.prepare<[], { id: number }>('SELECT id FROM audit_events ORDER BY id').all().map((r) => r.id);
  assert.deepEqual(
    ids,
    Array.from({ length: 400 }, (_, i) => i + 1),
  );
  for (const who of ['proc-a', 'proc-b']) {
    const mine = allPages(trail, { user: who }, 500);
    assert.equal(mine.length, 200);
    // Each process's own events keep their order within the shared chain.
    assert.deepEqual(
      mine.map((e) => e.description).reverse(),
      Array.from({ length: 200 }, (_, i) => `${who} ${i}`),
    );
  }
});

test('noctis audit verify exits 0 on a sound chain and 1 naming the event after tampering', () => {
  const BIN = path.join(REPO_ROOT, 'electron', 'cli', 'bin.cjs');
  const noctis = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  const dataDir = path.join(tempDir(), 'store');
  fs.mkdirSync(dataDir, { recursive: true });
  const db = openDb(path.join(dataDir, 'noctis.sqlite'));
  const trail = createAuditTrail(db, { host: HOST });
  for (let i = 1; i <= 30; i++) trail.append(record(i));
  db.close();

  const sound = noctis(['audit', 'verify', '--data-dir', dataDir]);
  assert.equal(sound.status, 0, sound.stderr + sound.stdout);
  assert.match(sound.stdout, /\b30\b.*events/);
  const soundJson = noctis(['audit', 'verify', '--data-dir', dataDir, '--json']);
  assert.equal(soundJson.status, 0, soundJson.stderr);
  assert.equal((JSON.parse(soundJson.stdout) as AuditVerifyResult).ok, true);

  const listed = noctis(['audit', 'list', '--data-dir', dataDir, '--json', '--since', '2026-12-01T00:20:00Z', '--limit', '5']);
  assert.equal(listed.status, 0, listed.stderr);
  const events = JSON.parse(listed.stdout) as AuditEvent[];
  assert.deepEqual(
    events.map((e) => e.eventId),
    [30, 29, 28, 27, 26],
    'newest first',
  );

  tamper(path.join(dataDir, 'noctis.sqlite'), (raw) => raw.prepare("UPDATE audit_events SET description = 'hidden' WHERE id = 14").run());
  const broken = noctis(['audit', 'verify', '--data-dir', dataDir]);
  assert.equal(broken.status, 1, broken.stdout + broken.stderr);
  assert.match(broken.stdout, /event 14\b.*edited/);
  const brokenJson = noctis(['audit', 'verify', '--data-dir', dataDir, '--json']);
  assert.equal(brokenJson.status, 1);
  assert.deepEqual((JSON.parse(brokenJson.stdout) as AuditVerifyResult).firstBad?.eventId, 14);

  const out = path.join(tempDir(), 'trail.xml');
  const exported = noctis(['audit', 'export', '--data-dir', dataDir, '--format', 'xml', '--until', '2026-12-01T00:05:00Z', '--out', out]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.equal(fs.readFileSync(out, 'utf8').match(/<AuditMessage>/g)?.length, 5);
  const csv = noctis(['audit', 'export', '--data-dir', dataDir, '--format', 'csv', '--since', '2026-12-01T00:29:00Z']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(parseCsv(csv.stdout)[1][0], '29', 'oldest first');
  assert.equal(noctis(['audit', 'export', '--data-dir', dataDir, '--format', 'pdf']).status, 2, 'a usage error');
});
