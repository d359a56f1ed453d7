// The study browser's search through the handler table, on a real store of real DICOM files:
// prefix matching that ignores case and accents, identifiers by prefix, each filter, every sort
// column both ways, the summary against the store's real counts, facility scoping of all of it,
// and a store made before the browser's migration getting its keys.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Payload, StudyRow, StudySearchResult } from '../../shared/api';
import { STUDY_SORT_COLUMNS, type StudySortColumn, type StudySummary } from '../../shared/studies';
import { createCatalog } from '../../electron/core/store/catalog';
import { openDb, registerSearchKeys } from '../../electron/core/store/db';
import { MIGRATIONS } from '../../electron/core/store/migrations';
import { createStudySearch } from '../../electron/core/store/studySearch';
import { writeStudy, type StudySpec } from '../fixtures/generate';
import { api, signedIn, tempCore, tempDir, type TestWindow } from '../helpers';

const core = tempCore();
const uid: Record<string, string> = {};
let northUser: TestWindow;

/** The studies: a name, its DICOM spec (one or more calls into one study) and how many images it has. */
const STUDIES: Record<string, StudySpec[]> = {
  juergen: [
    { patientName: 'MÜLLER^JÜRGEN', patientId: 'PAT-001', accessionNumber: 'ACC100', studyDate: '20240115', institutionName: 'North Hospital', modality: 'CT', seriesCount: 2, slicesPerSeries: 2, patientBirthDate: '19600101', patientSex: 'M', studyDescription: 'CT HEAD' },
  ],
  // The same patient again, with CT and MR series, the institution spelled in another case.
  juergen2: [
    { patientName: 'MÜLLER^JÜRGEN', patientId: 'PAT-001', accessionNumber: 'ACC150', studyDate: '20250610', institutionName: 'north hospital', modality: 'CT', slicesPerSeries: 1, patientBirthDate: '19600101', patientSex: 'M', studyDescription: 'FOLLOW UP' },
    { patientName: 'MÜLLER^JÜRGEN', patientId: 'PAT-001', accessionNumber: 'ACC150', studyDate: '20250610', institutionName: 'north hospital', modality: 'MR', slicesPerSeries: 2, firstSeriesNumber: 2, patientBirthDate: '19600101', patientSex: 'M', studyDescription: 'FOLLOW UP' },
  ],
  anna: [
    { patientName: 'MULLER^ANNA', patientId: 'PAT-002', accessionNumber: 'ACC200', studyDate: '20240301', institutionName: 'South Hospital', modality: 'MR', slicesPerSeries: 3, patientBirthDate: '19851224', patientSex: 'F', studyDescription: 'MR KNEE' },
  ],
  // No accession number: a local reference (L-…) instead.
  juri: [
    { patientName: 'SMITH-JONES^JURI', patientId: 'X9', studyDate: '20231231', institutionName: 'North Hospital', modality: 'CR', patientBirthDate: '20010202', patientSex: 'M', studyDescription: 'CHEST' },
  ],
  sean: [
    { patientName: "O'BRIEN^SEAN", patientId: 'PAT-010', accessionNumber: 'B77', studyDate: '20220707', modality: 'US', frames: 2, rows: 32, columns: 32, patientBirthDate: '19700101', patientSex: 'M', studyDescription: 'ABDOMEN' },
  ],
  soeren: [
    { patientName: 'ØSTERGAARD^SØREN', patientId: 'DK-1', accessionNumber: 'ACC300', studyDate: '20220101', institutionName: 'Klinikum Süd', modality: 'US', frames: 2, rows: 32, columns: 32, patientBirthDate: '19550505', patientSex: 'M', studyDescription: 'THYROID' },
  ],
  // No study date: no date range holds it, and the summary's dates leave it out.
  undated: [
    { patientName: 'NODATE^NINA', patientId: 'ND-1', accessionNumber: 'ND100', studyDate: '', institutionName: 'North Hospital', modality: 'CR', patientBirthDate: '19990909', patientSex: 'F', studyDescription: 'HAND' },
  ],
};

before(async () => {
  // North's studies are those of "North Hospital", whatever the case.
  await api(core, 'facilities.create', { name: 'North', institutions: ['North Hospital'] });
  const dir = tempDir();
  for (const [name, specs] of Object.entries(STUDIES)) {
    let studyInstanceUid: string | undefined;
    for (const spec of specs) {
      studyInstanceUid = writeStudy(path.join(dir, name), { ...spec, charset: 'ISO_IR 192', studyInstanceUid, rows: spec.rows ?? 16, columns: spec.columns ?? 16 }).studyInstanceUid;
    }
    uid[name] = studyInstanceUid!;
  }
  await core.importFiles([dir]);
  northUser = await signedIn(core, 'facility_user', { facility: 'North' });
});

const search = (payload: Payload<'studies.search'>) => api(core, 'studies.search', payload);
/** The names (keys of STUDIES) of the studies found, sorted. */
const found = async (payload: Payload<'studies.search'>, as?: TestWindow): Promise<string[]> => {
  const result = as ? await as.call('studies.search', payload) : await search(payload);
  assert.equal(result.total, result.studies.length, 'one page holds them all');
  return names(result.studies).sort();
};
const names = (rows: StudyRow[]) => rows.map((r) => Object.keys(uid).find((k) => uid[k] === r.studyInstanceUid) ?? r.studyInstanceUid);

test('a word finds studies by the prefix of any name component, ignoring case and accents', async () => {
  assert.deepEqual(await found({ query: 'muller' }), ['anna', 'juergen', 'juergen2']);
  assert.deepEqual(await found({ query: 'MÜLL' }), ['anna', 'juergen', 'juergen2']);
  assert.deepEqual(await found({ query: 'jur' }), ['juergen', 'juergen2', 'juri'], 'given names too');
  assert.deepEqual(await found({ query: 'J' }), ['juergen', 'juergen2', 'juri'], 'one letter');
  assert.deepEqual(await found({ query: 'ø' }), ['sean', 'soeren'], "one letter, folded: O'Brien and Østergaard");
  assert.deepEqual(await found({ query: 'jürgen müller' }), ['juergen', 'juergen2'], 'every word must match, in any order');
  assert.deepEqual(await found({ query: 'Müller, Jürgen' }), ['juergen', 'juergen2'], 'as the list shows the name');
  assert.deepEqual(await found({ query: 'soren' }), ['soeren'], 'ø is o');
  assert.deepEqual(await found({ query: 'østergaard' }), ['soeren']);
  assert.deepEqual(await found({ query: 'brien' }), ['sean'], "a part of O'Brien");
  assert.deepEqual(await found({ query: 'obri' }), ['sean'], "O'Brien without the apostrophe");
  assert.deepEqual(await found({ query: 'smith-j' }), ['juri']);
  assert.deepEqual(await found({ query: 'jones' }), ['juri']);
  assert.deepEqual(await found({ query: 'uller' }), [], 'a prefix, not any substring');
  assert.deepEqual(await found({ query: 'muller zzz' }), []);
});

test('patient IDs, accession numbers and local references are found by prefix', async () => {
  assert.deepEqual(await found({ query: 'pat-00' }), ['anna', 'juergen', 'juergen2']);
  assert.deepEqual(await found({ query: 'PAT-01' }), ['sean']);
  assert.deepEqual(await found({ query: '001' }), [], 'prefix only');
  assert.deepEqual(await found({ query: 'acc1' }), ['juergen', 'juergen2']);
  assert.deepEqual(await found({ query: 'ACC200' }), ['anna']);
  const [juri] = (await search({ query: 'juri' })).studies;
  assert.match(juri.localReference, /^L-\d{8}-\d{4}$/);
  assert.deepEqual(await found({ query: juri.localReference }), ['juri']);
  assert.deepEqual(await found({ query: 'l-' }), ['juri'], 'the only study without an accession number');
});

test('filters: an inclusive date range, modalities and institutions (ignoring case), together', async () => {
  assert.deepEqual(await found({ filters: { dateFrom: '20240115', dateTo: '20240301' } }), ['anna', 'juergen']);
  assert.deepEqual(await found({ filters: { dateFrom: '20240116' } }), ['anna', 'juergen2']);
  assert.deepEqual(await found({ filters: { dateTo: '20220707' } }), ['sean', 'soeren']);
  assert.deepEqual(
    await found({ filters: { dateFrom: '20000101', dateTo: '20991231' } }),
    Object.keys(STUDIES).filter((k) => k !== 'undated').sort(),
    'a range over every date, not the study without one',
  );
  assert.deepEqual(await found({ filters: { modalities: ['MR'] } }), ['anna', 'juergen2']);
  assert.deepEqual(await found({ filters: { modalities: ['CT', 'US'] } }), ['juergen', 'juergen2', 'sean', 'soeren']);
  assert.deepEqual(await found({ filters: { modalities: ['NM'] } }), []);
  assert.deepEqual(await found({ filters: { institutions: ['NORTH HOSPITAL'] } }), ['juergen', 'juergen2', 'juri', 'undated']);
  assert.deepEqual(await found({ filters: { institutions: ['KLINIKUM SÜD', 'South Hospital'] } }), ['anna', 'soeren'], 'case beyond ASCII too');
  assert.deepEqual(await found({ query: 'müller', filters: { modalities: ['MR'], institutions: ['north hospital'], dateFrom: '20250101' } }), ['juergen2']);
  await assert.rejects(search({ filters: { dateFrom: '2024-01-01' } }), { code: 'VALIDATION_FAILED' });
  await assert.rejects(search({ filters: { dateFrom: '20240301', dateTo: '20240101' } }), { code: 'VALIDATION_FAILED' });
  await assert.rejects(search({ sort: { column: 'studyInstanceUid' as StudySortColumn, direction: 'asc' } }), { code: 'VALIDATION_FAILED' });
});

const SORT_VALUE: Record<StudySortColumn, (s: StudyRow) => string | number> = {
  patientName: (s) => s.patientName.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace('ø', 'o'),
  patientId: (s) => s.patientId,
  patientBirthDate: (s) => s.patientBirthDate,
  patientSex: (s) => s.patientSex,
  studyDate: (s) => s.studyDate,
  modalities: (s) => s.modalities.join(','),
  studyDescription: (s) => s.studyDescription.toLowerCase(),
  accessionNumber: (s) => `${s.accessionNumber}\u0000${s.localReference}`,
  institutionName: (s) => s.institutionName.toLowerCase(),
  seriesCount: (s) => s.seriesCount,
  instanceCount: (s) => s.instanceCount,
};

test('every column sorts both ways, and pages follow the order', async () => {
  for (const column of STUDY_SORT_COLUMNS) {
    for (const direction of ['asc', 'desc'] as const) {
      const { studies } = await search({ sort: { column, direction } });
      const values = studies.map(SORT_VALUE[column]);
      const expected = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (direction === 'desc') expected.reverse();
      assert.deepEqual(values, expected, `${column} ${direction}`);
      // Page by page, the same order.
      const paged: StudyRow[] = [];
      for (let offset = 0; offset < studies.length; offset += 2) paged.push(...(await search({ sort: { column, direction }, limit: 2, offset })).studies);
      assert.deepEqual(names(paged), names(studies), `${column} ${direction} in pages`);
    }
  }
  const newest = await search({});
  assert.deepEqual(names(newest.studies).slice(0, 2), ['juergen2', 'anna'], 'newest first without a sort');
});

/** The figures for a set of studies, counted from the store's own tables. */
function counted(studyUids: string[]): StudySummary {
  const db = new Database(core.paths.dbFile, { readonly: true });
  try {
    const list = JSON.stringify(studyUids);
    const one = <T>(sql: string) => db.prepare(sql).get(list) as T;
    const rows = db
      .prepare(`SELECT institution, study_date FROM studies WHERE study_uid IN (SELECT value FROM json_each(?))`)
      .all(list) as Array<{ institution: string; study_date: string }>;
    const dates = rows.map((r) => r.study_date).filter(Boolean).sort();
    return {
      studies: studyUids.length,
      series: one<{ n: number }>('SELECT count(*) AS n FROM series se JOIN studies s ON s.id = se.study_pk WHERE s.study_uid IN (SELECT value FROM json_each(?))').n,
      images: one<{ n: number }>(
        'SELECT count(*) AS n FROM instances i JOIN series se ON se.id = i.series_pk JOIN studies s ON s.id = se.study_pk WHERE s.study_uid IN (SELECT value FROM json_each(?))',
      ).n,
      patients: one<{ n: number }>('SELECT count(DISTINCT patient_pk) AS n FROM studies WHERE study_uid IN (SELECT value FROM json_each(?))').n,
      modalities: (
        db
          .prepare('SELECT DISTINCT se.modality FROM series se JOIN studies s ON s.id = se.study_pk WHERE s.study_uid IN (SELECT value FROM json_each(?)) ORDER BY 1')
          .pluck()
          .all(list) as string[]
      ).filter(Boolean),
      // One spelling per institution, whatever the case: the first in code-point order.
      institutions: [...new Map([...rows.map((r) => r.institution)].filter(Boolean).sort().reverse().map((n) => [n.toLowerCase(), n])).values()].sort((a, b) =>
        a.localeCompare(b, 'en'),
      ),
      dateFrom: dates[0] ?? '',
      dateTo: dates[dates.length - 1] ?? '',
    };
  } finally {
    db.close();
  }
}

test('the summary counts everything that matches, as the store holds it', async () => {
  const cases: Array<Payload<'studies.search'>> = [
    {},
    { limit: 1 },
    { query: 'muller' },
    { query: 'j' },
    { query: 'm', filters: { modalities: ['CT'] } },
    { filters: { modalities: ['MR'] } },
    { filters: { modalities: ['CR'] } },
    { filters: { institutions: ['north hospital'] } },
    { filters: { dateFrom: '20220101', dateTo: '20231231' } },
    { query: 'zzz' },
  ];
  for (const payload of cases) {
    const result: StudySearchResult = await search(payload);
    const all = await search({ ...payload, limit: 1000, offset: 0 });
    assert.equal(result.total, all.studies.length, JSON.stringify(payload));
    assert.deepEqual(result.summary, counted(all.studies.map((s) => s.studyInstanceUid)), JSON.stringify(payload));
  }
  const everything = (await search({})).summary;
  assert.equal(everything.studies, 7);
  assert.equal(everything.patients, 6, 'Jürgen Müller has two studies');
  assert.equal(everything.dateFrom, '20220101', 'not the study without a date');
  assert.deepEqual(everything.modalities, ['CR', 'CT', 'MR', 'US']);
  assert.deepEqual(everything.institutions, ['Klinikum Süd', 'North Hospital', 'South Hospital'], 'one spelling each, whatever the case');
});

test("a facility user's results, filters, sorts and summary hold their facility's studies only", async () => {
  assert.deepEqual(await found({}, northUser), ['juergen', 'juergen2', 'juri', 'undated']);
  assert.deepEqual(await found({ query: 'muller' }, northUser), ['juergen', 'juergen2'], 'not Anna Muller, of another facility');
  assert.deepEqual(await found({ filters: { modalities: ['US'] } }, northUser), []);
  assert.deepEqual(await found({ filters: { institutions: ['South Hospital'] } }, northUser), []);
  assert.deepEqual(await found({ filters: { dateFrom: '20000101' } }, northUser), ['juergen', 'juergen2', 'juri']);
  assert.deepEqual(await found({ filters: { dateTo: '20991231' } }, northUser), ['juergen', 'juergen2', 'juri'], 'an open range too');
  const sorted = await northUser.call('studies.search', { sort: { column: 'patientName', direction: 'desc' } });
  assert.deepEqual(names(sorted.studies), ['juri', 'undated', 'juergen2', 'juergen']);
  for (const payload of [{}, { query: 'j' }, { filters: { modalities: ['CT'] } }] as Array<Payload<'studies.search'>>) {
    const result = await northUser.call('studies.search', payload);
    assert.deepEqual(result.summary, counted(result.studies.map((s) => s.studyInstanceUid)), JSON.stringify(payload));
  }
  assert.deepEqual((await northUser.call('studies.search', {})).summary.institutions, ['North Hospital']);

  // An admin maps South Hospital to a new facility: its study and figures move there.
  await api(core, 'facilities.create', { name: 'South', institutions: ['South Hospital'] });
  const southUser = await signedIn(core, 'facility_user', { facility: 'South' });
  const south = await southUser.call('studies.search', {});
  assert.deepEqual(names(south.studies), ['anna']);
  assert.deepEqual(south.summary, counted([uid.anna]));
  assert.deepEqual((await search({})).summary, counted(Object.values(uid)), 'the whole store is unchanged');
});

test('walking the sort order and sorting the matches give the same pages and summaries', () => {
  const db = openDb(core.paths.dbFile);
  try {
    const walk = createStudySearch(db, { sortMatchesUpTo: 0 });
    const sortMatches = createStudySearch(db, { sortMatchesUpTo: Number.MAX_SAFE_INTEGER });
    const payloads = [
      { query: 'mul' },
      { query: 'j m' },
      { filters: { modalities: ['CT', 'MR'] } },
      { filters: { institutions: ['North Hospital'], dateFrom: '20240101' } },
      { query: 'pat', filters: { dateTo: '20241231' } },
    ];
    for (const payload of payloads) {
      for (const column of STUDY_SORT_COLUMNS) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const facility of [null, 1]) {
            const params = { ...payload, limit: 3, offset: 1, sort: { column, direction } };
            assert.deepEqual(walk(params, facility), sortMatches(params, facility), `${JSON.stringify(params)} facility ${facility}`);
          }
        }
      }
    }
  } finally {
    db.close();
  }
});

test('a store made before the study browser gets its search keys, totals and codes when opened', () => {
  const file = path.join(tempDir(), 'noctis.sqlite');
  const before = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE study_terms'));
  assert.ok(before > 0);
  const old = new Database(file);
  registerSearchKeys(old);
  for (const sql of MIGRATIONS.slice(0, before)) old.exec(sql);
  old.pragma(`user_version = ${before}`);
  old.exec(`
    INSERT INTO patients (id, patient_key, patient_id, issuer, name, birth_date, sex) VALUES (1, 'k1', 'OLD-7', '', 'NÚÑEZ^JOSÉ', '19500101', 'M');
    INSERT INTO studies (id, study_uid, patient_pk, study_date, study_time, description, accession, institution, local_reference)
      VALUES (1, '1.2.3', 1, '20200202', '080000', 'OLD', '', 'Old Clinic', 'L-20200202-0001');
    INSERT INTO series (id, series_uid, study_pk, modality, series_number, description) VALUES (1, '1.2.3.1', 1, 'MR', 1, ''), (2, '1.2.3.2', 1, 'CT', 2, '');
    INSERT INTO instances (sop_uid, series_pk, sop_class_uid, transfer_syntax_uid, frames, path, size, sha256)
      VALUES ('1.2.3.1.1', 1, '1', '1', 1, 'a', 1, 'x'), ('1.2.3.2.1', 2, '1', '1', 1, 'b', 1, 'y'), ('1.2.3.2.2', 2, '1', '1', 1, 'c', 1, 'z');
  `);
  old.close();

  const db = openDb(file);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    const catalog = createCatalog(db);
    for (const query of ['nunez', 'jose', 'n', 'old-7', 'L-2020']) {
      assert.deepEqual(
        catalog.searchStudies({ query, limit: 10, offset: 0 }).studies.map((s) => s.studyInstanceUid),
        ['1.2.3'],
        query,
      );
    }
    const result = catalog.searchStudies({ limit: 10, offset: 0, filters: { modalities: ['CT'] }, sort: { column: 'patientName', direction: 'asc' } });
    assert.deepEqual(result.studies[0].modalities, ['CT', 'MR']);
    const summary: StudySummary = { studies: 1, series: 2, images: 3, patients: 1, modalities: ['CT', 'MR'], institutions: ['Old Clinic'], dateFrom: '20200202', dateTo: '20200202' };
    assert.deepEqual(result.summary, summary);
    assert.deepEqual(catalog.searchStudies({ limit: 10, offset: 0 }).summary, summary, 'the unfiltered summary: the totals the migration filled');
  } finally {
    db.close();
  }
});
