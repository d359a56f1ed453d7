// A study as the list shows it: the columns selected (studies `s` joined with patients `p`) and
// the row they make.
import type { StudyRow } from '../../../shared/api';

export interface StudyRecord {
  study_uid: string;
  name: string;
  patient_id: string;
  birth_date: string;
  sex: string;
  study_date: string;
  study_time: string;
  description: string;
  accession: string;
  local_reference: string;
  institution: string;
  referring_physician: string;
  modalities: string;
  conflicts: number;
  series_count: number;
  instance_count: number;
}

export const STUDY_COLUMNS = `s.study_uid, p.name, p.patient_id, p.birth_date, p.sex, s.study_date, s.study_time,
    s.description, s.accession, s.local_reference, s.institution, s.referring_physician,
    s.series_count, s.instance_count, s.modalities,
    (SELECT count(*) FROM series se JOIN instances i ON i.series_pk = se.id
       JOIN instance_conflicts c ON c.sop_uid = i.sop_uid WHERE se.study_pk = s.id) AS conflicts`;

export function toStudyRow(r: StudyRecord): StudyRow {
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
    localReference: r.local_reference,
    institutionName: r.institution,
    referringPhysicianName: r.referring_physician,
    // Kept sorted, without empty values, by the store's triggers.
    modalities: r.modalities ? r.modalities.split(',') : [],
    seriesCount: r.series_count,
    instanceCount: r.instance_count,
    conflictCount: r.conflicts,
  };
}
