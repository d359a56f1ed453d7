// Benchmark of the study browser's search (not a test): fills a fresh store with fictional studies
// through the catalog (the import's own write path), then times `studies.search` calls through the
// handler table, as the window makes them, for each typical search.
//
//   npm run bench:search [-- --studies 100000 --runs 40 --json FILE --keep DIR [--reuse]]
//
// Cases: no query, name prefixes (accents and case ignored, one letter to a whole name), patient
// ID, accession number and local reference prefixes, each filter, each sort column both ways, and
// a facility user's searches: 20 ms per call at p95 is the target. Pages fetched while scrolling
// far down the list are timed too, not judged. The store is removed at the end unless --keep
// names a folder to keep it in; --reuse times the searches again on a store kept before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Payload } from '../../shared/api';
import { STUDY_SORT_COLUMNS } from '../../shared/studies';
import { createCore, type Core } from '../../electron/core';
import type { InstanceHeader } from '../../electron/core/dicom/header';
import { createCatalog, type Created } from '../../electron/core/store/catalog';
import { openDb } from '../../electron/core/store/db';
import { api, signedIn, type TestWindow } from '../helpers';

const TARGET_P95_MS = 20;
const PAGE = 100;

const { values } = parseArgs({
  options: {
    studies: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '40' },
    json: { type: 'string' },
    keep: { type: 'string' },
    reuse: { type: 'boolean', default: false },
  },
});
const STUDIES = Number(values.studies);
const RUNS = Number(values.runs);
if (!Number.isInteger(STUDIES) || STUDIES < 1) throw new Error(`--studies: not a positive integer: ${values.studies}`);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs: not a positive integer: ${values.runs}`);

// A deterministic generator (mulberry32): runs compare with each other.
let seed = 20261203;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
function weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
  let r = random() * items.reduce((n, [, w]) => n + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return items[items.length - 1][0];
}

const FAMILY = [
  'MÜLLER', 'SCHMIDT', 'SCHNEIDER', 'FISCHER', 'WEBER', 'MEYER', 'WAGNER', 'BECKER', 'SCHULZ', 'HOFFMANN', 'KÖHLER', 'GÜNTHER',
  'GARCÍA', 'FERNÁNDEZ', 'GONZÁLEZ', 'RODRÍGUEZ', 'LÓPEZ', 'MARTÍNEZ', 'SÁNCHEZ', 'PÉREZ', 'GÓMEZ', 'NÚÑEZ', 'IBÁÑEZ', 'MUÑOZ',
  'MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'PETIT', 'DURAND', 'LEFÈVRE', 'FRANÇOIS', 'GIRAUD', 'BOUCHÉ', 'LEROY',
  'SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'MILLER', 'DAVIS', 'WILSON', 'ANDERSON', "O'BRIEN", 'TAYLOR', 'MOORE',
  'ROSSI', 'RUSSO', 'FERRARI', 'ESPOSITO', 'BIANCHI', 'ROMANO', 'COLOMBO', 'RICCI', 'MARINO', 'GRECO', 'BRUNO', 'GALLO',
  'SILVA', 'SANTOS', 'FERREIRA', 'PEREIRA', 'OLIVEIRA', 'COSTA', 'RODRIGUES', 'MARTINS', 'JESUS', 'SOUSA', 'FERNANDES', 'GONÇALVES',
  'NOWAK', 'KOWALSKI', 'WIŚNIEWSKI', 'WÓJCIK', 'KOWALCZYK', 'KAMIŃSKI', 'LEWANDOWSKI', 'ZIELIŃSKI', 'SZYMAŃSKI', 'WOŹNIAK', 'DĄBROWSKI', 'KOZŁOWSKI',
  'NOVÁK', 'SVOBODA', 'NOVOTNÝ', 'DVOŘÁK', 'ČERNÝ', 'PROCHÁZKA', 'KUČERA', 'VESELÝ', 'HORÁK', 'NĚMEC', 'POKORNÝ', 'MAREK',
  'HANSEN', 'JOHANSEN', 'OLSEN', 'LARSEN', 'ANDERSEN', 'PEDERSEN', 'NIELSEN', 'KRISTIANSEN', 'JENSEN', 'KARLSEN', 'ØSTERGAARD', 'SØRENSEN',
  'JOHANSSON', 'ANDERSSON', 'KARLSSON', 'NILSSON', 'ERIKSSON', 'LARSSON', 'OLSSON', 'PERSSON', 'SVENSSON', 'GUSTAFSSON', 'ÅSTRÖM', 'LINDSTRÖM',
  'YILMAZ', 'KAYA', 'DEMİR', 'ŞAHİN', 'ÇELİK', 'YILDIZ', 'YILDIRIM', 'ÖZTÜRK', 'AYDIN', 'ÖZDEMİR', 'ARSLAN', 'DOĞAN',
  'VAN DER BERG', 'DE JONG', 'JANSEN', 'DE VRIES', 'VAN DIJK', 'BAKKER', 'VISSER', 'SMIT', 'MEIJER', 'DE BOER', 'MULDER', 'DE GROOT',
  'NGUYEN', 'TRAN', 'LE', 'PHAM', 'KIM', 'LEE', 'PARK', 'CHOI', 'TANAKA', 'SATO', 'SUZUKI', 'TAKAHASHI',
  'SMITH-JONES', 'GARCÍA-LÓPEZ', 'MÜLLER-LÜDENSCHEIDT', 'ÆRØSKØBING', 'STRAßER', 'ŁUKASZEWICZ',
];
const GIVEN = [
  'JÜRGEN', 'ANNA', 'JOSÉ', 'MARÍA', 'FRANÇOIS', 'JOHN', 'MARY', 'LARS', 'SØREN', 'PIOTR', 'ZOË', 'CHLOÉ', 'LUCA', 'GIULIA',
  'JOÃO', 'HELENA', 'PAUL', 'EMMA', 'NOAH', 'OLIVIA', 'LÉA', 'HÉLÈNE', 'ANDRÉ', 'RENÉ', 'AGNIESZKA', 'ŁUKASZ', 'TOMÁŠ', 'JIŘÍ',
  'BJÖRN', 'ÅSA', 'MEHMET', 'AYŞE', 'FATİH', 'MÁRTA', 'ZSÓFIA', 'IÑAKI', 'NÚRIA', 'PEDRO', 'INÊS', 'MATTEO', 'SOFIA', 'ELIF',
  'JAN', 'PIETER', 'SANNE', 'MINH', 'YUKI', 'HIROSHI', 'JI-HO', 'SEO-YEON', 'OLGA', 'IVAN', 'NIKOLAJ', 'FREJA', 'MAJA', 'OSKAR',
  'ELISABETH', 'MARGARETHE', 'KLAUS', 'DIETER', 'WOLFGANG', 'URSULA', 'MARIE-CLAIRE', 'JEAN-PIERRE', 'ANNE-SOPHIE', 'KARL-HEINZ',
];
const INSTITUTIONS = [
  'North Hospital', 'South Hospital', 'East Clinic', 'West Imaging Center', 'Central University Hospital',
  'Klinikum Süd', 'Hôpital Saint-Éloi', 'Hospital Universitario La Paz', 'Ospedale San Raffaele', 'Szpital Miejski',
  'Fakultní nemocnice Motol', 'Rigshospitalet', 'Karolinska Universitetssjukhuset', 'Ankara Şehir Hastanesi', 'Erasmus MC',
  'Riverside Radiology', 'Lakeside Medical Center', 'Mountain View Clinic', 'Harbour Diagnostic Imaging', 'St. Mary Hospital',
];
/** Four facilities of five institutions each: a facility user sees about a quarter of the store. */
const FACILITIES = [0, 1, 2, 3].map((f) => ({ name: `Facility ${f + 1}`, institutions: INSTITUTIONS.slice(f * 5, f * 5 + 5) }));
const PROCEDURES: Record<string, string[]> = {
  CR: ['CHEST PA/LAT', 'KNEE 2 VIEWS', 'HAND', 'PELVIS', 'SPINE LUMBAR'],
  DX: ['CHEST AP', 'ANKLE', 'SHOULDER', 'WRIST'],
  CT: ['CT HEAD WO CONTRAST', 'CT CHEST W CONTRAST', 'CT ABDOMEN PELVIS', 'CT ANGIO CHEST', 'CT SPINE'],
  MR: ['MR BRAIN', 'MR KNEE', 'MR LUMBAR SPINE', 'MR PROSTATE', 'MR LIVER'],
  US: ['US ABDOMEN', 'US THYROID', 'US OBSTETRIC', 'US CAROTID DOPPLER'],
  MG: ['MAMMO SCREENING BILATERAL', 'MAMMO DIAGNOSTIC'],
  PT: ['PET-CT WHOLE BODY'],
  NM: ['BONE SCAN', 'THYROID SCINTIGRAPHY'],
  XA: ['CORONARY ANGIOGRAPHY'],
  RF: ['BARIUM SWALLOW'],
};
const MODALITY_MIX: Array<readonly [string, number]> = [
  ['CR', 24], ['DX', 10], ['CT', 20], ['MR', 12], ['US', 15], ['MG', 7], ['PT', 3], ['NM', 3], ['XA', 4], ['RF', 2],
];

function ymd(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

interface Sample {
  name: string;
  patientId: string;
  accession: string;
}

/** Fills the store through the catalog in transactions of 2,000 studies; returns a few values to search for. */
function fill(dataDir: string): { seconds: number; instances: number; samples: Sample[] } {
  const db = openDb(path.join(dataDir, 'noctis.sqlite'));
  const catalog = createCatalog(db);
  // The core checks a store never checked a minute after it starts: not in the middle of the timings.
  db.prepare("INSERT INTO integrity_checks (checked_at, duration_ms, result) VALUES (?, 0, 'ok')").run(new Date().toISOString());
  const created: Created = { patients: 0, studies: 0, series: 0, instances: 0 };
  const patients: Array<{ name: string; id: string; birthDate: string; sex: string }> = [];
  const samples: Sample[] = [];
  const today = Date.now();
  const started = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // About 1.6 studies per patient: some come back.
      let patient = patients.length > 0 && random() < 0.38 ? pick(patients) : undefined;
      if (!patient) {
        const family = pick(FAMILY);
        const middle = random() < 0.1 ? `^${pick(GIVEN)}` : '';
        patient = {
          name: `${family}^${pick(GIVEN)}${middle}`,
          id: random() < 0.7 ? String(10_000_000 + patients.length * 7 + Math.floor(random() * 7)) : `PID-${String(patients.length).padStart(6, '0')}`,
          birthDate: ymd(new Date(Date.UTC(1930, 0, 1) + random() * 90 * 365.25 * 86_400_000)),
          sex: weighted([['F', 50], ['M', 48], ['O', 1], ['', 1]] as const),
        };
        patients.push(patient);
      }
      const modality = weighted(MODALITY_MIX);
      const institution = pick(INSTITUTIONS);
      // Ten years up to today; every day has studies.
      const date = ymd(new Date(today - Math.floor(random() * 3650) * 86_400_000));
      const accession = random() < 0.05 ? '' : `A${date.slice(2, 6)}${String(i).padStart(7, '0')}`;
      const studyUid = `2.25.9${i}`;
      const seriesModalities = [modality];
      if (modality === 'PT') seriesModalities.push('CT');
      if (modality === 'CT' && random() < 0.1) seriesModalities.push('SR');
      const seriesCount = Math.max(seriesModalities.length, 1 + Math.floor(random() * 4));
      for (let s = 0; s < seriesCount; s++) {
        const seriesModality = seriesModalities[s] ?? modality;
        const images = seriesModality === 'SR' ? 1 : 1 + Math.floor(random() * (modality === 'CT' || modality === 'MR' ? 8 : 3));
        for (let n = 0; n < images; n++) {
          catalog.addInstance(header(patient, { studyUid, date, accession, institution, modality, seriesModality, s, n }), file(i, s, n), created);
        }
      }
      if (i % 997 === 0 && accession) samples.push({ name: patient.name, patientId: patient.id, accession });
    }
  });
  const step = 2000;
  for (let from = 0; from < STUDIES; from += step) {
    batch(from, Math.min(STUDIES, from + step));
    if (from % 20_000 === 0) process.stdout.write(`  ${from.toLocaleString('en')} studies…\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  db.pragma('optimize');
  db.close();
  return { seconds, instances: created.instances, samples };
}

function header(
  patient: { name: string; id: string; birthDate: string; sex: string },
  study: { studyUid: string; date: string; accession: string; institution: string; modality: string; seriesModality: string; s: number; n: number },
): InstanceHeader {
  return {
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUid: `${study.studyUid}.${study.s + 1}.${study.n + 1}`,
    studyInstanceUid: study.studyUid,
    seriesInstanceUid: `${study.studyUid}.${study.s + 1}`,
    patientId: patient.id,
    issuerOfPatientId: '',
    patientName: patient.name,
    patientBirthDate: patient.birthDate,
    patientSex: patient.sex,
    studyDate: study.date,
    studyTime: `${String(7 + Math.floor(random() * 12)).padStart(2, '0')}${String(Math.floor(random() * 60)).padStart(2, '0')}00`,
    studyDescription: pick(PROCEDURES[study.modality]),
    accessionNumber: study.accession,
    referringPhysicianName: '',
    institutionName: study.institution,
    modality: study.seriesModality,
    seriesNumber: study.s + 1,
    seriesDescription: '',
    bodyPartExamined: '',
    frameOfReferenceUid: '',
    instanceNumber: study.n + 1,
    rows: 512,
    columns: 512,
    frames: 1,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 12,
    photometricInterpretation: 'MONOCHROME2',
    imagePositionPatient: null,
    imageOrientationPatient: null,
    pixelSpacing: null,
    windowCenter: null,
    windowWidth: null,
    windowExplanation: [],
    rawDataset: false,
  };
}

function file(i: number, s: number, n: number) {
  const sha256 = `${i.toString(16).padStart(8, '0')}${s}${n}`.padEnd(64, '0');
  return { path: `dicom/${sha256.slice(0, 2)}/${sha256}.dcm`, size: 526_000, sha256, linked: false };
}

interface Case {
  name: string;
  payload: Payload<'studies.search'>;
  /** A facility user's window; else the command line's local administrator (every study). */
  as?: TestWindow;
  /** A page fetched while scrolling far down, not a search: shown, not judged against the target. */
  scroll?: true;
}

interface CaseResult {
  name: string;
  scroll: boolean;
  total: number;
  p50: number;
  p95: number;
  max: number;
  pass: boolean;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(core: Core, c: Case): Promise<CaseResult> {
  const run = () => (c.as ? c.as.call('studies.search', c.payload) : api(core, 'studies.search', c.payload));
  const first = await run();
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p95 = quantile(times, 0.95);
  return { name: c.name, scroll: c.scroll === true, total: first.total, p50: quantile(times, 0.5), p95, max: times[times.length - 1], pass: c.scroll === true || p95 <= TARGET_P95_MS };
}

function daysAgo(days: number): string {
  return ymd(new Date(Date.now() - days * 86_400_000));
}

async function main(): Promise<void> {
  const dir = values.keep ? path.resolve(values.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-bench-search-'));
  const dataDir = path.join(dir, 'data');
  const results: CaseResult[] = [];
  try {
    let samples: Sample[];
    if (values.reuse && values.keep && fs.existsSync(path.join(dataDir, 'noctis.sqlite'))) {
      samples = JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8')) as Sample[];
      process.stdout.write(`Reusing the store in ${dir}\n\n`);
    } else {
      // Facilities first: each new study then belongs to its institution's facility.
      const setup = createCore({ dataDir });
      for (const f of FACILITIES) await api(setup, 'facilities.create', f);
      setup.close();

      process.stdout.write(`Filling a store with ${STUDIES.toLocaleString('en')} fictional studies…\n`);
      const filled = fill(dataDir);
      samples = filled.samples;
      fs.writeFileSync(path.join(dir, 'samples.json'), JSON.stringify(samples));
      const dbBytes = fs.statSync(path.join(dataDir, 'noctis.sqlite')).size;
      process.stdout.write(
        `Filled in ${filled.seconds.toFixed(1)} s: ${STUDIES.toLocaleString('en')} studies, ${filled.instances.toLocaleString('en')} instances ` +
          `(${Math.round(STUDIES / filled.seconds).toLocaleString('en')} studies/s, ${((filled.seconds * 1e6) / filled.instances).toFixed(0)} µs per instance), ` +
          `database ${(dbBytes / 1e6).toFixed(0)} MB\n\n`,
      );
    }

    const core = createCore({ dataDir });
    const facilityUser = await signedIn(core, 'facility_user', { facility: FACILITIES[0].name });
    const sample = samples[Math.floor(samples.length / 2)];
    const withRef = (await api(core, 'studies.search', { query: 'L-', limit: 1 })).studies[0]?.localReference ?? 'L-';
    const today = withRef.slice(0, 11);
    const family = sample.name.split('^')[0];
    const cases: Case[] = [
      { name: 'no query (newest first)', payload: { limit: PAGE } },
      { name: `scroll: page at offset ${Math.floor(STUDIES / 2).toLocaleString('en')}`, payload: { limit: PAGE, offset: Math.floor(STUDIES / 2) }, scroll: true },
      {
        name: `scroll: by name, offset ${Math.floor(STUDIES / 2).toLocaleString('en')}`,
        payload: { limit: PAGE, offset: Math.floor(STUDIES / 2), sort: { column: 'patientName', direction: 'asc' } },
        scroll: true,
      },
      { name: 'name prefix "m"', payload: { query: 'm', limit: PAGE } },
      { name: 'name prefix "mul" (Müller…)', payload: { query: 'mul', limit: PAGE } },
      { name: 'name prefix "jur" (Jürgen)', payload: { query: 'jur', limit: PAGE } },
      { name: `family + given "${family.toLowerCase()} ${sample.name.split('^')[1].slice(0, 2).toLowerCase()}"`, payload: { query: `${family.toLowerCase()} ${sample.name.split('^')[1].slice(0, 2).toLowerCase()}`, limit: PAGE } },
      { name: `patient ID prefix "${sample.patientId.slice(0, 6)}"`, payload: { query: sample.patientId.slice(0, 6), limit: PAGE } },
      { name: 'patient ID (whole)', payload: { query: sample.patientId, limit: PAGE } },
      { name: 'accession number', payload: { query: sample.accession, limit: PAGE } },
      { name: `local reference "${withRef}"`, payload: { query: withRef, limit: PAGE } },
      // Every study without an accession number has one of today (the fill is one import).
      { name: `local reference prefix "${today}"`, payload: { query: today, limit: PAGE } },
      { name: 'date: today', payload: { limit: PAGE, filters: { dateFrom: daysAgo(0), dateTo: daysAgo(0) } } },
      { name: 'date: last 7 days', payload: { limit: PAGE, filters: { dateFrom: daysAgo(6) } } },
      { name: 'date: last 30 days', payload: { limit: PAGE, filters: { dateFrom: daysAgo(29) } } },
      { name: 'date: a year (range)', payload: { limit: PAGE, filters: { dateFrom: daysAgo(1000), dateTo: daysAgo(635) } } },
      { name: 'date: everything (10-year range)', payload: { limit: PAGE, filters: { dateFrom: daysAgo(3700), dateTo: daysAgo(0) } } },
      { name: 'modality CT', payload: { limit: PAGE, filters: { modalities: ['CT'] } } },
      { name: 'modality NM', payload: { limit: PAGE, filters: { modalities: ['NM'] } } },
      { name: 'modality CT or MR', payload: { limit: PAGE, filters: { modalities: ['CT', 'MR'] } } },
      { name: 'institution', payload: { limit: PAGE, filters: { institutions: [INSTITUTIONS[6]] } } },
      { name: 'institution + 30 days + CT', payload: { limit: PAGE, filters: { institutions: [INSTITUTIONS[6]], dateFrom: daysAgo(29), modalities: ['CT'] } } },
      { name: 'name "mul" + CT, by name', payload: { query: 'mul', limit: PAGE, filters: { modalities: ['CT'] }, sort: { column: 'patientName', direction: 'asc' } } },
      ...STUDY_SORT_COLUMNS.flatMap((column) =>
        (['asc', 'desc'] as const).map((direction) => ({ name: `sort ${column} ${direction}`, payload: { limit: PAGE, sort: { column, direction } } })),
      ),
      { name: 'facility user: no query', payload: { limit: PAGE }, as: facilityUser },
      { name: 'facility user: name prefix "mul"', payload: { query: 'mul', limit: PAGE }, as: facilityUser },
      { name: 'facility user: modality CT', payload: { limit: PAGE, filters: { modalities: ['CT'] } }, as: facilityUser },
      { name: 'facility user: last 30 days', payload: { limit: PAGE, filters: { dateFrom: daysAgo(29) } }, as: facilityUser },
      { name: 'facility user: sort by name', payload: { limit: PAGE, sort: { column: 'patientName', direction: 'asc' } }, as: facilityUser },
    ];

    process.stdout.write(`${'case'.padEnd(44)} ${'matches'.padStart(8)}  ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}\n`);
    for (const c of cases) {
      const result = await measure(core, c);
      results.push(result);
      const verdict = result.scroll ? '(scroll page)' : result.pass ? 'PASS' : 'FAIL';
      process.stdout.write(
        `${result.name.padEnd(44)} ${result.total.toLocaleString('en').padStart(8)}  ${result.p50.toFixed(2).padStart(7)} ${result.p95
          .toFixed(2)
          .padStart(7)} ${result.max.toFixed(2).padStart(7)}  ${verdict}\n`,
      );
    }
    core.close();
  } finally {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.pass);
  process.stdout.write(
    `\n${results.filter((r) => !r.scroll).length} searches, ${RUNS} runs each (after 2 warm-up calls), target p95 ≤ ${TARGET_P95_MS} ms: ` +
      `${failed.length === 0 ? 'PASS' : `FAIL (${failed.map((r) => r.name).join('; ')})`}\n`,
  );
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ studies: STUDIES, runs: RUNS, results }, null, 2)}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}\n`);
  process.exitCode = 1;
});
