// The index of patients, studies, series and instances: all SQL for them lives here.
import type { StudyDetail, StudySearchResult } from '../../../shared/api';
import type { InstanceHeader } from '../dicom/header';
import { nameKey } from '../auth/facilities';
import type { Db } from './db';
import { initialOf, nameSortKey, studyTerms } from './searchKeys';
import { STUDY_COLUMNS, toStudyRow, type StudyRecord } from './studyRows';
import { createStudySearch, type StudySearchParams } from './studySearch';

export interface StoredFile {
  /** Relative to the data directory for managed copies; absolute when linked. */
  path: string;
  size: number;
  sha256: string;
  linked: boolean;
}

/** A source file already read by an import: unchanged (same size and mtime), it is not read again. */
export interface SourceRecord {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  sopInstanceUid: string;
}

export interface InstanceListing {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  patientId: string;
  patientName: string;
  modality: string;
  transferSyntaxUid: string;
  rows: number | null;
  columns: number | null;
  frames: number;
  path: string;
}

export interface Created {
  patients: number;
  studies: number;
  series: number;
  instances: number;
}

export interface SendableInstance {
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  /** Relative to the data directory for copies, absolute for linked files. */
  path: string;
  linked: boolean;
  /** Stored without a Part 10 header: the file is the data set. */
  rawDataset: boolean;
  size: number;
  patientId: string;
  facilityId: number | null;
}

export interface KnownInstance {
  sha256: string;
  path: string;
}

/** Limits a query to one facility's studies. */
export interface StudyScope {
  facilityId: number;
}

/** Prepared statements over one database; create once per core. */
export function createCatalog(db: Db) {
  const findPatient = db.prepare<[string], { id: number }>('SELECT id FROM patients WHERE patient_key = ?');
  const insertPatient = db.prepare<[string, string, string, string, string, string, string]>(
    'INSERT INTO patients (patient_key, patient_id, issuer, name, birth_date, sex, name_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTerm = db.prepare<[string, number]>('INSERT OR IGNORE INTO study_terms (term, study_pk) VALUES (?, ?)');
  const insertInitial = db.prepare<[string, number]>(
    `INSERT OR IGNORE INTO study_initials (initial, study_pk, patient_pk, facility_id, study_date, institution_code, modality_set, series_count, instance_count)
     SELECT ?, id, patient_pk, facility_id, study_date, institution_code, modality_set, series_count, instance_count FROM studies WHERE id = ?`,
  );
  const findStudy = db.prepare<[string], { id: number }>('SELECT id FROM studies WHERE study_uid = ?');
  const insertStudy = db.prepare(
    `INSERT INTO studies (study_uid, patient_pk, study_date, study_time, description, accession,
       referring_physician, institution, local_reference, created_at, facility_id, institution_code, modalities, modality_set)
     VALUES (@study_uid, @patient_pk, @study_date, @study_time, @description, @accession,
       @referring_physician, @institution, @local_reference, @created_at,
       coalesce((SELECT facility_id FROM facility_institutions WHERE institution_key = @institution_key), @import_facility),
       (SELECT code FROM study_institutions WHERE name = @institution),
       @modality, (SELECT code FROM study_modality_sets WHERE modalities = @modality))`,
  );
  // The codes the study browser filters and counts by: a new study has its first series' modality.
  const addInstitution = db.prepare<[string]>('INSERT OR IGNORE INTO study_institutions (name) VALUES (?)');
  const addModalitySet = db.prepare<[string]>('INSERT OR IGNORE INTO study_modality_sets (modalities) VALUES (?)');
  // A range, not LIKE (which ignores case and so cannot use the index): one seek, not a scan per study.
  const lastLocalReference = db.prepare<[string, string], { ref: string }>(
    'SELECT local_reference AS ref FROM studies WHERE local_reference >= ? AND local_reference < ? ORDER BY local_reference DESC LIMIT 1',
  );
  const findSeries = db.prepare<[string], { id: number }>('SELECT id FROM series WHERE series_uid = ?');
  const insertSeries = db.prepare<[string, number, string, number | null, string, string, string]>(
    `INSERT INTO series (series_uid, study_pk, modality, series_number, description, body_part, frame_of_reference_uid)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertInstance = db.prepare(
    `INSERT INTO instances (sop_uid, series_pk, sop_class_uid, instance_number, transfer_syntax_uid,
       rows, columns, frames, path, size, sha256, samples_per_pixel, bits_allocated, bits_stored, photometric,
       image_position, image_orientation, pixel_spacing, window_center, window_width, window_explanation,
       linked, raw_dataset)
     VALUES (@sop_uid, @series_pk, @sop_class_uid, @instance_number, @transfer_syntax_uid,
       @rows, @columns, @frames, @path, @size, @sha256, @samples_per_pixel, @bits_allocated, @bits_stored, @photometric,
       @image_position, @image_orientation, @pixel_spacing, @window_center, @window_width, @window_explanation,
       @linked, @raw_dataset)`,
  );
  const findInstance = db.prepare<[string], KnownInstance>('SELECT sha256, path FROM instances WHERE sop_uid = ?');
  const findSource = db.prepare<[string], SourceRecord>(
    'SELECT path, size, mtime_ms AS mtimeMs, sha256, sop_uid AS sopInstanceUid FROM import_sources WHERE path = ?',
  );
  const upsertSource = db.prepare(
    `INSERT INTO import_sources (path, size, mtime_ms, sha256, sop_uid) VALUES (@path, @size, @mtimeMs, @sha256, @sopInstanceUid)
     ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
       sha256 = excluded.sha256, sop_uid = excluded.sop_uid`,
  );
  const listInstances = db.prepare<[], InstanceListing & { linked: number }>(
    `SELECT i.sop_uid AS sopInstanceUid, se.series_uid AS seriesInstanceUid, st.study_uid AS studyInstanceUid,
       p.patient_id AS patientId, p.name AS patientName, se.modality AS modality,
       i.transfer_syntax_uid AS transferSyntaxUid, i.rows AS rows, i.columns AS columns, i.frames AS frames,
       i.path AS path, i.linked AS linked
     FROM instances i JOIN series se ON se.id = i.series_pk JOIN studies st ON st.id = se.study_pk
     JOIN patients p ON p.id = st.patient_pk
     ORDER BY st.study_uid, se.series_number, se.series_uid, i.instance_number, i.sop_uid`,
  );
  const insertConflict = db.prepare<[string, string, number, string, string, string]>(
    `INSERT OR IGNORE INTO instance_conflicts (sop_uid, path, size, sha256, source_path, found_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const sendable = db.prepare<
    [string, string | null, string | null],
    { sop_uid: string; sop_class_uid: string; transfer_syntax_uid: string; path: string; linked: number; raw_dataset: number; size: number; patient_id: string; facility_id: number | null }
  >(
    `SELECT i.sop_uid, i.sop_class_uid, i.transfer_syntax_uid, i.path, i.linked, i.raw_dataset, i.size, p.patient_id, st.facility_id
     FROM studies st JOIN patients p ON p.id = st.patient_pk JOIN series se ON se.study_pk = st.id JOIN instances i ON i.series_pk = se.id
     WHERE st.study_uid = ? AND (? IS NULL OR se.series_uid = ?)
     ORDER BY se.series_number, se.id, i.instance_number, i.id`,
  );
  const instancePath = db.prepare<
    [string],
    {
      path: string;
      size: number;
      linked: number;
      raw_dataset: number;
      sop_class_uid: string;
      transfer_syntax_uid: string;
      facility_id: number | null;
    }
  >(
    `SELECT i.path, i.size, i.linked, i.raw_dataset, i.sop_class_uid, i.transfer_syntax_uid, st.facility_id
     FROM instances i JOIN series se ON se.id = i.series_pk JOIN studies st ON st.id = se.study_pk WHERE i.sop_uid = ?`,
  );
  const studyFacility = db.prepare<[string], { facility_id: number | null }>('SELECT facility_id FROM studies WHERE study_uid = ?');
  const seriesOwner = db.prepare<[string], { study_uid: string; facility_id: number | null }>(
    'SELECT st.study_uid, st.facility_id FROM series se JOIN studies st ON st.id = se.study_pk WHERE se.series_uid = ?',
  );
  const instanceOwner = db.prepare<[string], { study_uid: string; facility_id: number | null }>(
    `SELECT st.study_uid, st.facility_id FROM instances i JOIN series se ON se.id = i.series_pk JOIN studies st ON st.id = se.study_pk
     WHERE i.sop_uid = ?`,
  );
  const studyPatient = db.prepare<[string], { patient_id: string }>(
    'SELECT p.patient_id FROM studies s JOIN patients p ON p.id = s.patient_pk WHERE s.study_uid = ?',
  );

  const searchStudies = createStudySearch(db);
  const getStudy = db.prepare<{ uid: string; facility: number | null }, StudyRecord & { id: number }>(
    `SELECT s.id, ${STUDY_COLUMNS} FROM studies s JOIN patients p ON p.id = s.patient_pk
     WHERE s.study_uid = @uid AND (@facility IS NULL OR s.facility_id = @facility)`,
  );
  const studySeries = db.prepare<
    [number],
    { id: number; series_uid: string; modality: string; series_number: number | null; description: string; frame_of_reference_uid: string }
  >(
    `SELECT id, series_uid, modality, series_number, description, frame_of_reference_uid FROM series WHERE study_pk = ?
     ORDER BY series_number IS NULL, series_number, id`,
  );
  const seriesInstances = db.prepare<
    [number],
    { sop_uid: string; instance_number: number | null; frames: number; image_position: string | null }
  >(
    `SELECT sop_uid, instance_number, frames, image_position FROM instances WHERE series_pk = ?
     ORDER BY instance_number IS NULL, instance_number, id`,
  );

  /** L-YYYYMMDD-NNNN: the day's next number (local time, as the user reads it). */
  const nextLocalReference = (now: Date): string => {
    const day = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
    const last = lastLocalReference.get(`L-${day}-`, `L-${day}.`)?.ref;
    const n = last ? Number(last.slice(-4)) + 1 : 1;
    return `L-${day}-${String(n).padStart(4, '0')}`;
  };

  return {
    findInstance(sopInstanceUid: string): KnownInstance | undefined {
      return findInstance.get(sopInstanceUid);
    },

    /** Of these stored paths, those no instance or conflict row points at (one scan: a rare question). */
    unreferenced(paths: string[]): string[] {
      if (paths.length === 0) return [];
      const list = JSON.stringify(paths);
      const used = db
        .prepare<[string, string], { path: string }>(
          `SELECT path FROM instances WHERE path IN (SELECT value FROM json_each(?))
           UNION SELECT path FROM instance_conflicts WHERE path IN (SELECT value FROM json_each(?))`,
        )
        .all(list, list);
      const referenced = new Set(used.map((row) => row.path));
      return paths.filter((p) => !referenced.has(p));
    },

    instanceFile(sopInstanceUid: string) {
      const row = instancePath.get(sopInstanceUid);
      return (
        row && {
          path: row.path,
          size: row.size,
          linked: row.linked === 1,
          rawDataset: row.raw_dataset === 1,
          sopClassUid: row.sop_class_uid,
          transferSyntaxUid: row.transfer_syntax_uid,
          facilityId: row.facility_id,
        }
      );
    },

    /** What a send job needs of each instance of a study (or one series), in series and instance order. */
    sendable(studyInstanceUid: string, seriesInstanceUid: string | null): SendableInstance[] {
      return sendable.all(studyInstanceUid, seriesInstanceUid, seriesInstanceUid).map((r) => ({
        sopInstanceUid: r.sop_uid,
        sopClassUid: r.sop_class_uid,
        transferSyntaxUid: r.transfer_syntax_uid,
        path: r.path,
        linked: r.linked === 1,
        rawDataset: r.raw_dataset === 1,
        size: r.size,
        patientId: r.patient_id,
        facilityId: r.facility_id,
      }));
    },

    /** The study a series or an instance belongs to, and that study's facility. */
    seriesStudy(seriesInstanceUid: string): { studyInstanceUid: string; facilityId: number | null } | undefined {
      const row = seriesOwner.get(seriesInstanceUid);
      return row && { studyInstanceUid: row.study_uid, facilityId: row.facility_id };
    },
    instanceStudy(sopInstanceUid: string): { studyInstanceUid: string; facilityId: number | null } | undefined {
      const row = instanceOwner.get(sopInstanceUid);
      return row && { studyInstanceUid: row.study_uid, facilityId: row.facility_id };
    },

    studyFacility(studyInstanceUid: string): number | null {
      return studyFacility.get(studyInstanceUid)?.facility_id ?? null;
    },

    /** The PatientIDs of these studies (for audit events), each once. */
    patientIdsOf(studyInstanceUids: readonly string[]): string[] {
      const ids = new Set<string>();
      for (const uid of studyInstanceUids) {
        const id = studyPatient.get(uid)?.patient_id;
        if (id !== undefined) ids.add(id);
      }
      return [...ids];
    },

    findSource(sourcePath: string): SourceRecord | undefined {
      return findSource.get(sourcePath);
    },

    rememberSource(record: SourceRecord): void {
      upsertSource.run(record);
    },

    /** Every instance, one at a time (no whole-store arrays). */
    *instances(resolvePath: (path: string, linked: boolean) => string): Generator<InstanceListing> {
      for (const { linked, ...row } of listInstances.iterate()) {
        yield { ...row, path: resolvePath(row.path, linked === 1) };
      }
    },

    /**
     * Adds one instance with its patient, study and series as needed; counts what it created. A
     * new study belongs to its institution's facility, else to `facilityId` (the importer's).
     */
    addInstance(h: InstanceHeader, file: StoredFile, created: Created, facilityId: number | null = null): void {
      const key = patientKey(h);
      let patient = findPatient.get(key)?.id;
      if (patient === undefined) {
        patient = Number(
          insertPatient.run(key, h.patientId, h.issuerOfPatientId, h.patientName, h.patientBirthDate, h.patientSex, nameSortKey(h.patientName))
            .lastInsertRowid,
        );
        created.patients++;
      }
      let study = findStudy.get(h.studyInstanceUid)?.id;
      if (study === undefined) {
        const now = new Date();
        const localReference = h.accessionNumber ? '' : nextLocalReference(now);
        addInstitution.run(h.institutionName);
        addModalitySet.run(h.modality);
        study = Number(
          insertStudy.run({
            study_uid: h.studyInstanceUid,
            patient_pk: patient,
            study_date: h.studyDate,
            study_time: h.studyTime,
            description: h.studyDescription,
            accession: h.accessionNumber,
            referring_physician: h.referringPhysicianName,
            institution: h.institutionName,
            local_reference: localReference,
            created_at: now.toISOString(),
            institution_key: nameKey(h.institutionName),
            import_facility: facilityId,
            modality: h.modality,
          }).lastInsertRowid,
        );
        const terms = studyTerms({ patientName: h.patientName, patientId: h.patientId, accessionNumber: h.accessionNumber, localReference });
        for (const term of terms) insertTerm.run(term, study);
        for (const initial of new Set(terms.map(initialOf))) insertInitial.run(initial, study);
        created.studies++;
      }
      let series = findSeries.get(h.seriesInstanceUid)?.id;
      if (series === undefined) {
        series = Number(
          insertSeries.run(
            h.seriesInstanceUid,
            study,
            h.modality,
            h.seriesNumber,
            h.seriesDescription,
            h.bodyPartExamined,
            h.frameOfReferenceUid,
          ).lastInsertRowid,
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
        samples_per_pixel: h.samplesPerPixel,
        bits_allocated: h.bitsAllocated,
        bits_stored: h.bitsStored,
        photometric: h.photometricInterpretation,
        image_position: json(h.imagePositionPatient),
        image_orientation: json(h.imageOrientationPatient),
        pixel_spacing: json(h.pixelSpacing),
        window_center: json(h.windowCenter),
        window_width: json(h.windowWidth),
        window_explanation: h.windowExplanation.length > 0 ? JSON.stringify(h.windowExplanation) : null,
        linked: file.linked ? 1 : 0,
        raw_dataset: h.rawDataset ? 1 : 0,
      });
      created.instances++;
    },

    addConflict(sopInstanceUid: string, file: StoredFile, sourcePath: string): void {
      insertConflict.run(sopInstanceUid, file.path, file.size, file.sha256, sourcePath, new Date().toISOString());
    },

    /**
     * A page of the studies matching a search, their total and summary. `scope`: only this
     * facility's studies (filtered in SQL, so no other study ever leaves, nor counts in the summary).
     */
    searchStudies(search: StudySearchParams, scope?: StudyScope): StudySearchResult {
      return searchStudies(search, scope?.facilityId ?? null);
    },

    getStudy(studyInstanceUid: string, instanceUrl: (sopInstanceUid: string) => string, scope?: StudyScope): StudyDetail | undefined {
      const record = getStudy.get({ uid: studyInstanceUid, facility: scope?.facilityId ?? null });
      if (!record) return undefined;
      const series = studySeries.all(record.id).map((s) => ({
        seriesInstanceUid: s.series_uid,
        modality: s.modality,
        seriesNumber: s.series_number,
        seriesDescription: s.description,
        frameOfReferenceUid: s.frame_of_reference_uid,
        instances: seriesInstances.all(s.id).map((i) => ({
          sopInstanceUid: i.sop_uid,
          instanceNumber: i.instance_number,
          frames: i.frames,
          url: instanceUrl(i.sop_uid),
          imagePositionPatient: i.image_position ? (JSON.parse(i.image_position) as number[]) : null,
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

function json(values: number[] | null): string | null {
  return values ? JSON.stringify(values) : null;
}

