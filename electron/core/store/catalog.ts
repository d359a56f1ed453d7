// The index of patients, studies, series and instances: all SQL for them lives here.
import type { StudyDetail, StudyRow, StudySearchResult } from '../../../shared/api';
import type { InstanceHeader } from '../dicom/header';
import type { Db } from './db';

export interface StoredFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Created {
  patients: number;
  studies: number;
  series: number;
  instances: number;
}

export interface KnownInstance {
  sha256: string;
  path: string;
}

interface StudyRecord {
  study_uid: string;
  name: string;
  patient_id: string;
  birth_date: string;
  sex: string;
  study_date: string;
  study_time: string;
  description: string;
  accession: string;
  modalities: string | null;
  series_count: number;
  instance_count: number;
}

/** Prepared statements over one database; create once per core. */
export function createCatalog(db: Db) {
  const findPatient = db.prepare<[string], { id: number }>('SELECT id FROM patients WHERE patient_key = ?');
  const insertPatient = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO patients (patient_key, patient_id, issuer, name, birth_date, sex) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const findStudy = db.prepare<[string], { id: number }>('SELECT id FROM studies WHERE study_uid = ?');
  const insertStudy = db.prepare<[string, number, string, string, string, string]>(
    'INSERT INTO studies (study_uid, patient_pk, study_date, study_time, description, accession) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const findSeries = db.prepare<[string], { id: number }>('SELECT id FROM series WHERE series_uid = ?');
  const insertSeries = db.prepare<[string, number, string, number | null, string]>(
    'INSERT INTO series (series_uid, study_pk, modality, series_number, description) VALUES (?, ?, ?, ?, ?)',
  );
  const insertInstance = db.prepare(
    `INSERT INTO instances (sop_uid, series_pk, sop_class_uid, instance_number, transfer_syntax_uid,
       rows, columns, frames, path, size, sha256)
     VALUES (@sop_uid, @series_pk, @sop_class_uid, @instance_number, @transfer_syntax_uid,
       @rows, @columns, @frames, @path, @size, @sha256)`,
  );
  const findInstance = db.prepare<[string], KnownInstance>('SELECT sha256, path FROM instances WHERE sop_uid = ?');
  const insertConflict = db.prepare<[string, string, number, string, string, string]>(
    `INSERT OR IGNORE INTO instance_conflicts (sop_uid, path, size, sha256, source_path, found_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const instancePath = db.prepare<[string], { path: string; size: number }>(
    'SELECT path, size FROM instances WHERE sop_uid = ?',
  );

  const studyColumns = `s.study_uid, p.name, p.patient_id, p.birth_date, p.sex, s.study_date, s.study_time,
    s.description, s.accession, s.series_count, s.instance_count,
    (SELECT group_concat(DISTINCT modality) FROM series WHERE study_pk = s.id) AS modalities`;
  const searchWhere = `(@pattern IS NULL OR p.name LIKE @pattern ESCAPE '\\'
    OR p.patient_id LIKE @pattern ESCAPE '\\' OR s.accession LIKE @pattern ESCAPE '\\')`;
  const searchStudies = db.prepare<{ pattern: string | null; limit: number; offset: number }, StudyRecord>(
    `SELECT ${studyColumns} FROM studies s JOIN patients p ON p.id = s.patient_pk
     WHERE ${searchWhere}
     ORDER BY s.study_date DESC, s.study_time DESC, s.id DESC LIMIT @limit OFFSET @offset`,
  );
  const countStudies = db.prepare<{ pattern: string | null }, { n: number }>(
    `SELECT count(*) AS n FROM studies s JOIN patients p ON p.id = s.patient_pk WHERE ${searchWhere}`,
  );
  const getStudy = db.prepare<[string], StudyRecord & { id: number }>(
    `SELECT s.id, ${studyColumns} FROM studies s JOIN patients p ON p.id = s.patient_pk WHERE s.study_uid = ?`,
  );
  const studySeries = db.prepare<
    [number],
    { id: number; series_uid: string; modality: string; series_number: number | null; description: string }
  >(
    `SELECT id, series_uid, modality, series_number, description FROM series WHERE study_pk = ?
     ORDER BY series_number IS NULL, series_number, id`,
  );
  const seriesInstances = db.prepare<
    [number],
    { sop_uid: string; instance_number: number | null; frames: number }
  >(
    `SELECT sop_uid, instance_number, frames FROM instances WHERE series_pk = ?
     ORDER BY instance_number IS NULL, instance_number, id`,
  );

  return {
    findInstance(sopInstanceUid: string): KnownInstance | undefined {
      return findInstance.get(sopInstanceUid);
    },

    instanceFile(sopInstanceUid: string): { path: string; size: number } | undefined {
      return instancePath.get(sopInstanceUid);
    },

    /** Adds one instance with its patient, study and series as needed; counts what it created. */
    addInstance(h: InstanceHeader, file: StoredFile, created: Created): void {
      const key = patientKey(h);
      let patient = findPatient.get(key)?.id;
      if (patient === undefined) {
        patient = Number(
          insertPatient.run(key, h.patientId, h.issuerOfPatientId, h.patientName, h.patientBirthDate, h.patientSex)
            .lastInsertRowid,
        );
        created.patients++;
      }
      let study = findStudy.get(h.studyInstanceUid)?.id;
      if (study === undefined) {
        study = Number(
          insertStudy.run(h.studyInstanceUid, patient, h.studyDate, h.studyTime, h.studyDescription, h.accessionNumber)
            .lastInsertRowid,
        );
        created.studies++;
      }
      let series = findSeries.get(h.seriesInstanceUid)?.id;
      if (series === undefined) {
        series = Number(
          insertSeries.run(h.seriesInstanceUid, study, h.modality, h.seriesNumber, h.seriesDescription).lastInsertRowid,
        );
        created.series++;
      }
      insertInstance.run({
        sop_uid: h.sopInstanceUid,
        series_pk: series,
        sop_class_uid: h.sopClassUid,
        instance_number: h.instanceNumber,
        transfer_syntax_uid: h.transferSyntaxUid,
        rows: h.rows,
        columns: h.columns,
        frames: h.frames,
        path: file.path,
        size: file.size,
        sha256: file.sha256,
      });
      created.instances++;
    },

    addConflict(sopInstanceUid: string, file: StoredFile, sourcePath: string): void {
      insertConflict.run(sopInstanceUid, file.path, file.size, file.sha256, sourcePath, new Date().toISOString());
    },

    searchStudies(query: string | undefined, limit: number, offset: number): StudySearchResult {
      const trimmed = query?.trim();
      const pattern = trimmed ? `%${escapeLike(trimmed)}%` : null;
      const studies = searchStudies.all({ pattern, limit, offset }).map(toStudyRow);
      const total = countStudies.get({ pattern })?.n ?? 0;
      return { studies, total };
    },

    getStudy(studyInstanceUid: string, instanceUrl: (sopInstanceUid: string) => string): StudyDetail | undefined {
      const record = getStudy.get(studyInstanceUid);
      if (!record) return undefined;
      const series = studySeries.all(record.id).map((s) => ({
        seriesInstanceUid: s.series_uid,
        modality: s.modality,
        seriesNumber: s.series_number,
        seriesDescription: s.description,
        instances: seriesInstances.all(s.id).map((i) => ({
          sopInstanceUid: i.sop_uid,
          instanceNumber: i.instance_number,
          frames: i.frames,
          url: instanceUrl(i.sop_uid),
        })),
      }));
      return { ...toStudyRow(record), series };
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;

/** PatientID + issuer; without an ID, name and birth date keep anonymous patients apart. */
function patientKey(h: InstanceHeader): string {
  return h.patientId
    ? JSON.stringify(['id', h.patientId, h.issuerOfPatientId])
    : JSON.stringify(['name', h.patientName, h.patientBirthDate]);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toStudyRow(r: StudyRecord): StudyRow {
  return {
    studyInstanceUid: r.study_uid,
    patientName: r.name,
    patientId: r.patient_id,
    patientBirthDate: r.birth_date,
    patientSex: r.sex,
    studyDate: r.study_date,
    studyTime: r.study_time,
    studyDescription: r.description,
    accessionNumber: r.accession,
    modalities: r.modalities ? r.modalities.split(',').filter(Boolean).sort() : [],
    seriesCount: r.series_count,
    instanceCount: r.instance_count,
  };
}
