// Benchmark corpora made with the fixture generator: a realistic mixed corpus (CT, MR, CR and US
// from several fictional patients, some series in other transfer syntaxes) and a folder of many
// tiny files. Both are written file by file, so memory stays flat however large the corpus, and
// the counts they return are what an importer of `dir` should find. Counts depend only on the
// arguments; UIDs are new on every run, so byte totals can differ by a few bytes per file.
import fs from 'node:fs';
import path from 'node:path';
import { newUid, writeStudy, type Modality, type StudySpec } from '../fixtures/generate';
import { convertTransferSyntax, type Syntax } from '../fixtures/convert';

export interface BenchCorpusOptions {
  /** At least this many DICOM files (default 2000). */
  files?: number;
  /** At least this many bytes of DICOM files (default 520e6). */
  targetBytes?: number;
  /**
   * Re-encode some series with dcmtk (default true): CT and MR series in JPEG lossless, implicit
   * VR LE, explicit VR BE, JPEG-LS, RLE and deflated (12% of the files or fewer; more only in tiny
   * corpora, to have each syntax once), and one US series of two cines in JPEG baseline.
   */
  syntaxes?: boolean;
}

export interface CorpusCounts {
  /** DICOM files written (each is one instance). */
  files: number;
  /** Their total size on disk, after any conversion. */
  bytes: number;
  patients: number;
  studies: number;
  series: number;
  instances: number;
}

interface PlannedSeries {
  modality: Modality;
  description: string;
  rows: number;
  columns: number;
  instances: number;
  frames: number;
  /** Re-encode every file of the series in this transfer syntax. */
  syntax?: Syntax;
}

interface PlannedStudy {
  description: string;
  bodyPart: string;
  series: PlannedSeries[];
}

const CT_SIZE = 512;
const MR_SIZE = 256;
const CR_ROWS = 2500;
const CR_COLUMNS = 2000;
const US_ROWS = 240;
const US_COLUMNS = 320;
const US_FRAMES = 24;
/** Converted series take turns through these (JPEG baseline is kept for US, which is 8-bit). */
const ROTATION: readonly Syntax[] = ['jpeg-lossless', 'implicit-le', 'explicit-be', 'jpeg-ls', 'rle', 'deflated'];
/** Syntaxes that keep the pixel data as it is: their files count fully towards targetBytes. */
const UNCOMPRESSED: ReadonlySet<Syntax | undefined> = new Set([undefined, 'explicit-le', 'implicit-le', 'explicit-be']);

/**
 * Writes a mixed corpus of at least `files` DICOM files and at least `targetBytes` bytes into
 * `dir`: CT studies (512x512 series), MR studies (256x256 series), a few CR studies (2000x2500)
 * and a few US studies (RGB cines), for several patients with one to a few studies each. With
 * `syntaxes`, up to 12% of the files (more in tiny corpora) are then re-encoded in place with dcmtk.
 */
export function makeBenchCorpus(dir: string, options: BenchCorpusOptions = {}): CorpusCounts {
  const plan = planBenchCorpus(options.files ?? 2000, options.targetBytes ?? 520e6, options.syntaxes ?? true);
  let files = 0;
  let bytes = 0;
  let series = 0;
  plan.forEach((study, index) => {
    const patient = Math.floor(index / 2);
    const studyFolder = `${patientId(patient)}/ST${String(index + 1).padStart(3, '0')}`;
    // Every third study is named like a CD export (upper case, no extension).
    const fileName = (i: number) =>
      index % 3 === 2 ? `IM${String(i + 1).padStart(6, '0')}` : `IMG${String(i + 1).padStart(4, '0')}.dcm`;
    const studyFields: StudySpec = {
      patientName: patientName(patient),
      patientId: patientId(patient),
      ...(patient % 2 === 0 ? { issuerOfPatientId: 'NOCTIS-BENCH' } : {}),
      studyInstanceUid: newUid(),
      studyDate: `2026${String((index % 12) + 1).padStart(2, '0')}${String((index % 28) + 1).padStart(2, '0')}`,
      studyTime: `${String(8 + (index % 10)).padStart(2, '0')}${String((index * 7) % 60).padStart(2, '0')}00`,
      studyDescription: study.description,
      accessionNumber: `ACC${String(index + 1).padStart(6, '0')}`,
      institutionName: index % 4 === 3 ? 'Fictional Valley Clinic' : 'Fictional General Hospital',
      referringPhysicianName: `${SURNAMES[(index * 5 + 3) % SURNAMES.length]}^${GIVEN[(index + 4) % GIVEN.length]}`,
      bodyPartExamined: study.bodyPart,
    };
    study.series.forEach((planned, s) => {
      const result = writeStudy(dir, {
        ...studyFields,
        modality: planned.modality,
        rows: planned.rows,
        columns: planned.columns,
        frames: planned.frames,
        monochrome1: planned.modality === 'CR' && index % 2 === 0,
        seriesCount: 1,
        slicesPerSeries: planned.instances,
        firstSeriesNumber: s + 1,
        seriesDescription: planned.description,
        pathFor: (_series, i) => `${studyFolder}/SE${String(s + 1).padStart(2, '0')}/${fileName(i)}`,
      });
      for (const instance of result.instances) {
        if (planned.syntax) {
          convertTransferSyntax(instance.path, instance.path, planned.syntax);
          bytes += fs.statSync(instance.path).size;
        } else {
          bytes += instance.bytes;
        }
        files++;
      }
      series++;
    });
  });
  return { files, bytes, patients: Math.ceil(plan.length / 2), studies: plan.length, series, instances: files };
}

/**
 * Writes `files` tiny CT files (32x32) into `dir`, in series of 200 (the last one may be
 * shorter), five series to a study and two studies to a patient: for checking that importing
 * many files keeps memory flat. Synchronous.
 */
export function makeSmallFiles(dir: string, files: number): CorpusCounts {
  const perSeries = 200;
  const seriesPerStudy = 5;
  let written = 0;
  let bytes = 0;
  let series = 0;
  let studies = 0;
  let studyInstanceUid = '';
  while (written < files) {
    const studyIndex = Math.floor(series / seriesPerStudy);
    if (series % seriesPerStudy === 0) {
      studyInstanceUid = newUid();
      studies++;
    }
    const patient = Math.floor(studyIndex / 2);
    const s = series % seriesPerStudy;
    const folder = path.join(patientId(patient), `ST${String(studyIndex + 1).padStart(4, '0')}`, `SE${s + 1}`);
    const result = writeStudy(dir, {
      patientName: patientName(patient),
      patientId: patientId(patient),
      studyInstanceUid,
      studyDescription: 'CT SMALL FILES',
      studyDate: '20260315',
      rows: 32,
      columns: 32,
      seriesCount: 1,
      firstSeriesNumber: s + 1,
      slicesPerSeries: Math.min(perSeries, files - written),
      pathFor: (_series, i) => path.join(folder, `IMG${String(i + 1).padStart(4, '0')}.dcm`),
    });
    for (const instance of result.instances) bytes += instance.bytes;
    written += result.instances.length;
    series++;
  }
  return { files: written, bytes, patients: Math.ceil(studies / 2), studies, series, instances: written };
}

/**
 * The corpus as a list of studies, from the arguments alone. A few CR and US studies are planned
 * first (about one of each per 260 MB asked for); then CT and MR studies are added, CT while the
 * average size of the files still needed is nearer a CT slice's than an MR slice's, MR otherwise,
 * until both targets are met. Series re-encoded in a compressing syntax count for no
 * bytes, so the corpus reaches targetBytes whatever dcmtk makes of them.
 */
function planBenchCorpus(targetFiles: number, targetBytes: number, syntaxes: boolean): PlannedStudy[] {
  const ctPixels = CT_SIZE * CT_SIZE * 2;
  const mrPixels = MR_SIZE * MR_SIZE * 2;
  const ctSlices = clamp(Math.round(targetFiles / 100), 2, 20);
  const mrSlices = clamp(Math.round(targetFiles / 50), 2, 40);
  const extras = Math.max(1, Math.round(targetBytes / 260e6));
  // 12% of the files, but at least room for one series in each syntax (small corpora).
  const convertBudget = Math.max(Math.floor(targetFiles * 0.12), ROTATION.length * Math.max(ctSlices, mrSlices));
  let files = 0;
  let bytes = 0;
  let converted = 0;
  let ctmrSeries = 0;
  let rotation = 0;
  const count = (series: PlannedSeries) => {
    files += series.instances;
    if (UNCOMPRESSED.has(series.syntax)) {
      const pixels = series.rows * series.columns * series.frames * (series.modality === 'US' ? 3 : 2);
      bytes += series.instances * pixels;
    }
    return series;
  };
  // Every third CT or MR series is converted while the budget lasts, taking turns through the
  // syntaxes (the budget holds six series of either kind, so each syntax gets one if the corpus
  // has enough CT and MR series).
  const ctmr = (modality: 'CT' | 'MR', description: string, instances: number): PlannedSeries => {
    const size = modality === 'CT' ? CT_SIZE : MR_SIZE;
    const series: PlannedSeries = { modality, description, rows: size, columns: size, instances, frames: 1 };
    if (syntaxes && ctmrSeries++ % 3 === 1 && converted + instances <= convertBudget) {
      series.syntax = ROTATION[rotation++ % ROTATION.length];
      converted += instances;
    }
    return count(series);
  };

  const extraStudies: PlannedStudy[] = [];
  for (let k = 0; k < extras; k++) {
    extraStudies.push({
      description: 'CHEST 2 VIEWS',
      bodyPart: 'CHEST',
      series: ['PA', 'LAT'].map((view) =>
        count({ modality: 'CR', description: view, rows: CR_ROWS, columns: CR_COLUMNS, instances: 1, frames: 1 }),
      ),
    });
    extraStudies.push({
      description: k % 2 === 0 ? 'US ABDOMEN' : 'ECHO',
      bodyPart: k % 2 === 0 ? 'ABDOMEN' : 'HEART',
      series: [
        count({
          modality: 'US',
          description: 'CINE',
          rows: US_ROWS,
          columns: US_COLUMNS,
          instances: 2,
          frames: US_FRAMES,
          ...(syntaxes && k === 0 ? { syntax: 'jpeg-baseline' as const } : {}),
        }),
      ],
    });
  }

  const mainStudies: PlannedStudy[] = [];
  while (files < targetFiles || bytes < targetBytes) {
    const needFiles = targetFiles - files;
    const needBytes = targetBytes - bytes;
    // The first study is CT, so that both CT and MR series get converted.
    const ct =
      mainStudies.length === 0 ||
      (needBytes > 0 && (needFiles <= 0 || needBytes / needFiles > (ctPixels + mrPixels) / 2));
    if (ct) {
      const chest = mainStudies.length % 2 === 0;
      mainStudies.push({
        description: chest ? 'CT CHEST WITH CONTRAST' : 'CT ABDOMEN PELVIS',
        bodyPart: chest ? 'CHEST' : 'ABDOMEN',
        series: [
          ctmr('CT', 'AX 5.0 SOFT TISSUE', ctSlices),
          ctmr('CT', chest ? 'AX 5.0 LUNG' : 'AX 5.0 BONE', ctSlices),
          ctmr('CT', 'COR 3.0', ctSlices),
          ctmr('CT', 'SAG 3.0', ctSlices),
        ],
      });
    } else {
      mainStudies.push({
        description: 'MR BRAIN',
        bodyPart: 'HEAD',
        series: [ctmr('MR', 'T1 AX', mrSlices), ctmr('MR', 'T2 AX', mrSlices), ctmr('MR', 'FLAIR AX', mrSlices)],
      });
    }
  }

  // Spread the CR and US studies through the CT and MR ones.
  const plan = [...mainStudies];
  extraStudies.forEach((study, k) => {
    plan.splice(Math.round(((k + 1) * plan.length) / (extraStudies.length + 1)), 0, study);
  });
  return plan;
}

const SURNAMES = [
  'ALDER', 'BIRCH', 'CEDAR', 'DOGWOOD', 'ELM', 'FIR', 'GINKGO', 'HAZEL', 'IVY',
  'JUNIPER', 'LARCH', 'MAPLE', 'OAK', 'PINE', 'ROWAN', 'SPRUCE', 'WILLOW', 'YEW',
];
const GIVEN = ['ADA', 'BRUNO', 'CLARA', 'DMITRI', 'EDITH', 'FELIX', 'GRETA', 'HUGO', 'IRIS', 'JONAS', 'KARLA', 'LEON'];

/** Fictional, and distinct for the first 216 patients. */
function patientName(n: number): string {
  return `${SURNAMES[n % SURNAMES.length]}^${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`;
}

function patientId(n: number): string {
  return `BENCH${String(n + 1).padStart(5, '0')}`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
