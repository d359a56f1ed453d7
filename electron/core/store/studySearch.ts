// The study browser's search, in SQL: query words matched by prefix against each study's terms
// (name components, patient ID, accession number, local reference), filters by date, modality and
// institution, a sort on any column, and the summary of everything that matches. The caller's
// facility is a condition of every statement. Which index each statement walks is chosen here
// from cheap counts (the narrowest filter drives; when many studies match, the sort column's index
// is walked and each study tested), so that no search reads much more of the store than it needs.
import type { Statement } from 'better-sqlite3';
import type { StudySearchResult } from '../../../shared/api';
import { DEFAULT_STUDY_SORT, type StudyFilters, type StudySort, type StudySortColumn, type StudySummary } from '../../../shared/studies';
import type { Db } from './db';
import { prefixRange, queryWords } from './searchKeys';
import { STUDY_COLUMNS, toStudyRow, type StudyRecord } from './studyRows';

export interface StudySearchParams {
  query?: string;
  limit: number;
  offset: number;
  sort?: StudySort;
  filters?: StudyFilters;
}

/** Ties of each sort index are ordered by study date and id (the index's next columns). */
const TIES = ['s.study_date', 's.id'];

/**
 * Each column's ORDER BY terms, exactly the order of its index (and the study id), so that the
 * index is walked without sorting; `patient`: the index is on patients, studies by patient follow.
 */
const SORTS: Record<StudySortColumn, { keys: readonly string[]; index: string; patient?: true }> = {
  patientName: { keys: ['p.name_key', 'p.id', ...TIES], index: 'patients_name_key', patient: true },
  patientId: { keys: ['p.patient_id', 'p.id', ...TIES], index: 'patients_patient_id', patient: true },
  patientBirthDate: { keys: ['p.birth_date', 'p.id', ...TIES], index: 'patients_birth_date', patient: true },
  patientSex: { keys: ['p.sex', 'p.id', ...TIES], index: 'patients_sex', patient: true },
  studyDate: { keys: ['s.study_date', 's.study_time', 's.id'], index: 'studies_browse_date' },
  modalities: { keys: ['s.modalities', ...TIES], index: 'studies_modalities' },
  studyDescription: { keys: ['s.description COLLATE NOCASE', ...TIES], index: 'studies_description' },
  accessionNumber: { keys: ['s.accession', 's.local_reference', ...TIES], index: 'studies_accession' },
  institutionName: { keys: ['s.institution COLLATE NOCASE', ...TIES], index: 'studies_institution' },
  seriesCount: { keys: ['s.series_count', ...TIES], index: 'studies_series_count' },
  instanceCount: { keys: ['s.instance_count', ...TIES], index: 'studies_instance_count' },
};

/** Up to this many matches, the page is sorted from the matches; above, the sort index is walked. */
const SORT_MATCHES_UP_TO = 3000;

export interface StudySearchOptions {
  /** Tests set it to take one way or the other whatever the number of matches. */
  sortMatchesUpTo?: number;
}

/** Counting beyond this tells nothing more about which index to read (and counting costs too). */
const COUNT_CAP = 10_000;

type Params = Record<string, string | number>;

/** Where the matching studies are read from: the narrowest filter's index. */
type Driver = 'word' | 'initial' | 'date' | 'modality' | 'institution';
const DRIVER_FROM: Record<Driver, string> = {
  // Rows by id, from the terms (no index of studies: the rowid).
  word: 'studies s NOT INDEXED',
  // The initials, joined to their rows (the summary reads the initials alone, see below).
  initial: 'study_initials w CROSS JOIN studies s ON s.id = w.study_pk',
  date: 'studies s INDEXED BY studies_browse_date',
  modality: 'studies s INDEXED BY studies_browse_modality',
  institution: 'studies s INDEXED BY studies_institution',
};
const INSTITUTION_CODES = 's.institution_code IN (SELECT value FROM json_each(@institutionCodes))';

/** The initials of a letter hold all that the summary reads of their studies, as `s`. */
const INITIALS_AS_STUDIES = `(SELECT study_pk AS id, patient_pk, facility_id, study_date, institution_code, modality_set, series_count, instance_count
  FROM study_initials WHERE initial = @word0) s`;
/**
 * Reading a row by id costs a few times reading the next entry of a covering index; more when
 * the ids first go through a temporary b-tree (the terms of a prefix may repeat a study).
 */
const DRIVER_COST: Record<Driver, number> = { word: 4, initial: 1, date: 1, modality: 1, institution: 3 };

interface Matching {
  /** The narrowest index to read the matches from, or none (nothing but the facility). */
  driver: Driver | undefined;
  /** FROM and conditions for the summary. */
  summary: { from: string; where: string[] };
  /** FROM and conditions for sorting the matches themselves (few of them). */
  matches: { from: string; where: string[] };
  /** Conditions on `studies s` alone, every word a probe: for walking a sort index. */
  probes: string[];
  params: Params;
}

/** Flags for small integers (row ids, codes), growing as needed: cheaper per row than a Set. */
class IntFlags {
  private flags = new Uint8Array(1024);
  count = 0;

  /** Sets the flag; whether it was unset. */
  add(value: number): boolean {
    if (value >= this.flags.length) {
      const grown = new Uint8Array(Math.max(value + 1, this.flags.length * 2));
      grown.set(this.flags);
      this.flags = grown;
    }
    if (this.flags[value] === 1) return false;
    this.flags[value] = 1;
    this.count++;
    return true;
  }

  values(): number[] {
    const set: number[] = [];
    for (let i = 0; i < this.flags.length; i++) if (this.flags[i] === 1) set.push(i);
    return set;
  }
}

/** The distinct patients, institution codes and modality-set codes of the rows it is given. */
class DistinctValues {
  readonly patients = new IntFlags();
  readonly institutions = new IntFlags();
  readonly modalitySets = new IntFlags();
}

interface SummaryRecord {
  studies: number;
  series: number;
  images: number;
  date_from: string | null;
  date_to: string | null;
  distinct_values: string | null;
}

export function createStudySearch(db: Db, options: StudySearchOptions = {}) {
  const sortMatchesUpTo = options.sortMatchesUpTo ?? SORT_MATCHES_UP_TO;
  // One pass over the matches counts distinct patients and collects codes: SQLite's DISTINCT
  // aggregates build a temporary b-tree each, several times slower per row.
  const aggregate = {
    varargs: true,
    start: () => new DistinctValues(),
    step: (values: DistinctValues, patient: number, institution: number, modalitySet: number) => {
      values.patients.add(patient);
      values.institutions.add(institution);
      values.modalitySets.add(modalitySet);
    },
    result: (values: DistinctValues) => JSON.stringify([values.patients.count, values.institutions.values(), values.modalitySets.values()]),
  };
  // The typings allow one argument per row; better-sqlite3 passes them all.
  db.aggregate('noctis_distinct_values', aggregate as unknown as Parameters<Db['aggregate']>[1]);

  const cache = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      // The shapes are few (words, filters, sort); a bound keeps a long session's memory flat.
      if (cache.size >= 500) cache.clear();
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };

  const institutionNames = db.prepare<[], { code: number; name: string }>('SELECT code, name FROM study_institutions');
  const modalitySets = db.prepare<[], { code: number; modalities: string }>('SELECT code, modalities FROM study_modality_sets');
  // Key -1: every study.
  const totals = db.prepare<[number], { studies: number; series: number; images: number; patients: number }>(
    'SELECT studies, series, images, patients FROM study_totals WHERE facility_key = ?',
  );
  const facets = {
    all: db.prepare<[], { kind: string; code: number; studies: number }>(
      'SELECT kind, code, sum(studies) AS studies FROM study_facets GROUP BY kind, code HAVING sum(studies) > 0',
    ),
    of: db.prepare<[number], { kind: string; code: number; studies: number }>(
      'SELECT kind, code, studies FROM study_facets WHERE facility_key = ? AND studies > 0',
    ),
  };
  // Separate subqueries: min() and max() in one SELECT would scan instead of seeking.
  const dates = {
    all: db.prepare<[], { first: string | null; last: string | null }>(
      "SELECT (SELECT min(study_date) FROM studies WHERE study_date > '') AS first, (SELECT max(study_date) FROM studies) AS last",
    ),
    of: db.prepare<{ facility: number }, { first: string | null; last: string | null }>(
      `SELECT (SELECT min(study_date) FROM studies INDEXED BY studies_browse_date WHERE facility_id = @facility AND study_date > '') AS first,
         (SELECT max(study_date) FROM studies INDEXED BY studies_browse_date WHERE facility_id = @facility) AS last`,
    ),
  };
  const undated = {
    all: db.prepare<[], { found: number }>("SELECT 1 AS found FROM studies INDEXED BY studies_browse_date WHERE study_date = '' LIMIT 1"),
    of: db.prepare<[number], { found: number }>("SELECT 1 AS found FROM studies INDEXED BY studies_browse_date WHERE study_date = '' AND facility_id = ? LIMIT 1"),
  };
  const wordCount = db.prepare<[string, string, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM study_terms WHERE term >= ? AND term < ? LIMIT ?)',
  );
  const initialCount = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM study_initials WHERE initial = ? LIMIT ?)',
  );
  const dateCount = db.prepare<[string, string, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM studies INDEXED BY studies_browse_date WHERE study_date >= ? AND study_date <= ? LIMIT ?)',
  );

  const names = <T extends { code: number }>(rows: T[], value: (row: T) => string) => new Map(rows.map((r) => [r.code, value(r)]));

  const summaryOf = (
    counts: { studies: number; series: number; images: number; patients: number },
    institutionCodes: Iterable<number>,
    modalitySetCodes: Iterable<number>,
    range: { first: string | null; last: string | null },
  ): StudySummary => {
    const institutionName = names(institutionNames.all(), (r) => r.name);
    const setModalities = names(modalitySets.all(), (r) => r.modalities);
    const institutions = [...institutionCodes].map((c) => institutionName.get(c) ?? '');
    const modalities = [...modalitySetCodes].flatMap((c) => setModalities.get(c)?.split(',') ?? []);
    return { ...counts, modalities: sorted(modalities), institutions: sorted(oneSpelling(institutions)), dateFrom: range.first ?? '', dateTo: range.last ?? '' };
  };

  return (search: StudySearchParams, facility: number | null): StudySearchResult => {
    const scopeFacets = facility === null ? facets.all.all() : facets.of.all(facility);
    const sums = totals.get(facility ?? -1) ?? { studies: 0, series: 0, images: 0, patients: 0 };
    const matching = matchingStudies(search, facility, scopeFacets, sums.studies);
    const sort = SORTS[(search.sort ?? DEFAULT_STUDY_SORT).column];
    const direction = search.sort?.direction ?? DEFAULT_STUDY_SORT.direction;

    let summary: StudySummary;
    if (matching.driver === undefined) {
      // Nothing but the facility: the totals the triggers keep.
      summary = summaryOf(
        sums,
        scopeFacets.filter((f) => f.kind === 'institution').map((f) => f.code),
        scopeFacets.filter((f) => f.kind === 'modality_set').map((f) => f.code),
        (facility === null ? dates.all.get() : dates.of.get({ facility })) ?? { first: null, last: null },
      );
    } else {
      const from = `FROM ${matching.summary.from} WHERE ${[...matching.summary.where, '1'].join(' AND ')}`;
      // Plain min(): nullif() per row costs more than asking again in the rare case of a study without a date.
      const record = prepared(
        `SELECT count(*) AS studies, coalesce(sum(s.series_count), 0) AS series, coalesce(sum(s.instance_count), 0) AS images,
           min(s.study_date) AS date_from, max(s.study_date) AS date_to,
           noctis_distinct_values(s.patient_pk, s.institution_code, s.modality_set) AS distinct_values ${from}`,
      ).get(matching.params) as SummaryRecord;
      if (record.date_from === '' && record.date_to) {
        record.date_from = (prepared(`SELECT min(s.study_date) AS first ${from} AND s.study_date > ''`).get(matching.params) as { first: string | null }).first;
      }
      // No rows: SQLite may hand the aggregate none and return NULL.
      const [patientCount, institutionCodes, modalitySetCodes] = record.distinct_values
        ? (JSON.parse(record.distinct_values) as [number, number[], number[]])
        : [0, [], []];
      summary = summaryOf(
        { studies: record.studies, series: record.series, images: record.images, patients: patientCount },
        institutionCodes,
        modalitySetCodes,
        { first: record.date_from, last: record.date_to },
      );
    }

    if (summary.studies === 0 || search.offset >= summary.studies) return { studies: [], total: summary.studies, summary };
    // Few matches: sort them. Many: walk the sort column's index in order and keep the matches.
    const walk = summary.studies > sortMatchesUpTo || matching.driver === undefined;
    const from = walk
      ? sort.patient
        ? `patients p INDEXED BY ${sort.index} CROSS JOIN studies s INDEXED BY studies_patient ON s.patient_pk = p.id`
        : `studies s INDEXED BY ${sort.index}`
      : `${matching.matches.from}${sort.patient ? ' CROSS JOIN patients p ON p.id = s.patient_pk' : ''}`;
    const conditions = walk ? matching.probes : matching.matches.where;
    const order = sort.keys.map((key) => `${key} ${direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
    const ids = prepared(
      `SELECT s.id FROM ${from} ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
      .pluck()
      .all({ ...matching.params, limit: search.limit, offset: search.offset }) as number[];
    const rows = new Map(
      (
        prepared(`SELECT s.id, ${STUDY_COLUMNS} FROM studies s JOIN patients p ON p.id = s.patient_pk WHERE s.id IN (SELECT value FROM json_each(@ids))`).all({
          ids: JSON.stringify(ids),
        }) as Array<StudyRecord & { id: number }>
      ).map((r) => [r.id, r]),
    );
    const studies = ids.flatMap((id) => {
      const row = rows.get(id);
      return row ? [toStudyRow(row)] : [];
    });
    return { studies, total: summary.studies, summary };
  };

  /**
   * The conditions (on `studies s`) and parameters of a search, and the narrowest index to read
   * its matches from. A filter that every study of the scope passes is left out.
   */
  function matchingStudies(search: StudySearchParams, facility: number | null, scopeFacets: Facet[], scopeStudies: number): Matching {
    // Conditions that any index can test, on the columns every one of them has.
    const common: string[] = [];
    const params: Params = {};
    const costs: Array<[Driver, number]> = [];
    let institutionNamesIn: string | undefined;
    if (facility !== null) {
      common.push('s.facility_id = @facility');
      params.facility = facility;
    }
    const { dateFrom, dateTo, modalities = [], institutions = [] } = search.filters ?? {};
    if ((dateFrom || dateTo) && !coversEveryDate(dateFrom, dateTo, facility)) {
      // '0' leaves out studies without a date, which no date range matches; '9' is past every date.
      params.dateFrom = dateFrom ?? '0';
      params.dateTo = dateTo ?? '9';
      common.push('s.study_date >= @dateFrom AND s.study_date <= @dateTo');
      costs.push(['date', dateCount.get(params.dateFrom, params.dateTo, COUNT_CAP)?.n ?? 0]);
    }
    if (modalities.length > 0) {
      const wanted = new Set(modalities.map((m) => m.toUpperCase()));
      const codes = modalitySets
        .all()
        .filter((set) => set.modalities.split(',').some((m) => wanted.has(m.toUpperCase())))
        .map((set) => set.code);
      const count = facetCount(scopeFacets, 'modality_set', new Set(codes));
      if (count < scopeStudies) {
        common.push('s.modality_set IN (SELECT value FROM json_each(@modalitySets))');
        params.modalitySets = JSON.stringify(codes);
        costs.push(['modality', count]);
      }
    }
    if (institutions.length > 0) {
      // Matched here, ignoring case beyond ASCII too, then looked up by code (or by name as stored).
      const wanted = new Set(institutions.map((name) => name.toLowerCase()));
      const matched = institutionNames.all().filter((r) => wanted.has(r.name.toLowerCase()));
      const count = facetCount(scopeFacets, 'institution', new Set(matched.map((r) => r.code)));
      if (count < scopeStudies) {
        common.push(INSTITUTION_CODES);
        params.institutionCodes = JSON.stringify(matched.map((r) => r.code));
        params.institutions = JSON.stringify(matched.map((r) => r.name));
        institutionNamesIn = 's.institution COLLATE NOCASE IN (SELECT value FROM json_each(@institutions))';
        costs.push(['institution', count]);
      }
    }
    // The rarest word may drive; every other word is a probe of each study. A word of one letter
    // is looked up among the initials.
    const words = queryWords(search.query)
      .map((word) => {
        const initial = [...word].length === 1;
        const range = prefixRange(word);
        const count = (initial ? initialCount.get(word, COUNT_CAP) : wordCount.get(range.from, range.to, COUNT_CAP))?.n ?? 0;
        return { ...range, initial, count, cost: count * DRIVER_COST[initial ? 'initial' : 'word'] };
      })
      .sort((a, b) => a.cost - b.cost);
    if (words.length > 0) costs.push([words[0].initial ? 'initial' : 'word', words[0].count]);
    const driver = costs.map(([d, n]) => [d, n * DRIVER_COST[d]] as const).sort((a, b) => a[1] - b[1])[0]?.[0];

    // Each word as a probe of a study, and the first (the rarest) as a condition of its own index.
    const wordProbes: string[] = [];
    let drivingWord = '';
    words.forEach((word, i) => {
      params[`word${i}`] = word.from;
      if (word.initial) {
        wordProbes.push(`EXISTS (SELECT 1 FROM study_initials i WHERE i.study_pk = s.id AND i.initial = @word${i})`);
        if (i === 0) drivingWord = `w.initial = @word${i}`;
      } else {
        params[`wordEnd${i}`] = word.to;
        wordProbes.push(`EXISTS (SELECT 1 FROM study_terms t WHERE t.study_pk = s.id AND t.term >= @word${i} AND t.term < @wordEnd${i})`);
        if (i === 0) drivingWord = `s.id IN (SELECT study_pk FROM study_terms WHERE term >= @word${i} AND term < @wordEnd${i})`;
      }
    });
    const wordsDrive = driver === 'word' || driver === 'initial';
    // The institution's own index is on its name.
    const filters = driver === 'institution' && institutionNamesIn ? common.map((c) => (c === INSTITUTION_CODES ? institutionNamesIn : c)) : common;
    const matches = { from: driver ? DRIVER_FROM[driver] : 'studies s', where: [...filters, ...(wordsDrive ? [drivingWord] : []), ...wordProbes.slice(wordsDrive ? 1 : 0)] };
    // The initials of one letter stand for their studies: that word is their FROM.
    const summary = driver === 'initial' ? { from: INITIALS_AS_STUDIES, where: [...filters, ...wordProbes.slice(1)] } : matches;
    const probes = [...common, ...wordProbes];
    return { driver, summary, matches, probes, params };
  }

  /** Whether a date range holds every study of the scope: all have a date, from the first to the last. */
  function coversEveryDate(dateFrom: string | undefined, dateTo: string | undefined, facility: number | null): boolean {
    const range = facility === null ? dates.all.get() : dates.of.get({ facility });
    if (!range?.first || !range.last) return false;
    if ((dateFrom && dateFrom > range.first) || (dateTo && dateTo < range.last)) return false;
    return (facility === null ? undated.all.get() : undated.of.get(facility)) === undefined;
  }
}

type Facet = { kind: string; code: number; studies: number };

function facetCount(facets: Facet[], kind: string, codes: Set<number>): number {
  return facets.filter((f) => f.kind === kind && codes.has(f.code)).reduce((n, f) => n + f.studies, 0);
}

/** Institutions spelled in other cases are one (the filter, like facilities, ignores case). */
function oneSpelling(names: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const name of [...names].sort()) {
    const key = name.toLowerCase();
    if (!byKey.has(key)) byKey.set(key, name);
  }
  return [...byKey.values()];
}

function sorted(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b, 'en'));
}
