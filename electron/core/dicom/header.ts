import dicomParser from 'dicom-parser';
import { convertBytes } from 'dicom-character-set';
import { TAG } from './tags';

/** What the index needs from one instance's header. Text is decoded to Unicode. */
export interface InstanceHeader {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  patientId: string;
  issuerOfPatientId: string;
  patientName: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  accessionNumber: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  frames: number;
}

export type HeaderProblem = 'not_dicom' | 'truncated' | 'missing_uid' | 'unreadable';

export type HeaderResult =
  | { ok: true; header: InstanceHeader }
  | { ok: false; code: HeaderProblem; message: string };

const PREAMBLE = 128;
const UID_RE = /^[0-9]+(\.[0-9]+)*$/;

export function isPart10(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE + 4 &&
    bytes[PREAMBLE] === 0x44 && // D
    bytes[PREAMBLE + 1] === 0x49 && // I
    bytes[PREAMBLE + 2] === 0x43 && // C
    bytes[PREAMBLE + 3] === 0x4d // M
  );
}

/** Parses a Part 10 file's header, stopping before the pixel data. */
export function parseHeader(bytes: Uint8Array): HeaderResult {
  if (!isPart10(bytes)) {
    return { ok: false, code: 'not_dicom', message: 'No DICOM preamble and "DICM" prefix.' };
  }
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: TAG.PixelData });
  } catch (err) {
    const text = describe(err);
    // dicom-parser says a file ends early in several ways ("buffer overread", "eof encountered",
    // "position cannot be greater than or equal to 'byteArray' length").
    const cut = /overrun|overread|\beof\b|end of|beyond|'byteArray' length/i.test(text);
    return {
      ok: false,
      code: cut ? 'truncated' : 'unreadable',
      message: cut ? `The file ends inside its header (${text}).` : `The header cannot be parsed (${text}).`,
    };
  }
  return readHeader(ds);
}

function readHeader(ds: dicomParser.DataSet): HeaderResult {
  const charset = ds.string(TAG.SpecificCharacterSet) ?? '';
  const text = (tag: string): string => decodeText(ds, tag, charset);
  const uid = (tag: string): string => (ds.string(tag) ?? '').replace(/\0/g, '').trim();
  const int = (tag: string): number | null => {
    const value = ds.intString(tag);
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  const us = (tag: string): number | null => (ds.elements[tag] ? (ds.uint16(tag) ?? null) : null);

  const header: InstanceHeader = {
    transferSyntaxUid: uid(TAG.TransferSyntaxUID),
    sopClassUid: uid(TAG.SOPClassUID),
    sopInstanceUid: uid(TAG.SOPInstanceUID) || uid(TAG.MediaStorageSOPInstanceUID),
    studyInstanceUid: uid(TAG.StudyInstanceUID),
    seriesInstanceUid: uid(TAG.SeriesInstanceUID),
    patientId: text(TAG.PatientID),
    issuerOfPatientId: text(TAG.IssuerOfPatientID),
    patientName: text(TAG.PatientName),
    patientBirthDate: text(TAG.PatientBirthDate),
    patientSex: text(TAG.PatientSex),
    studyDate: text(TAG.StudyDate),
    studyTime: text(TAG.StudyTime),
    studyDescription: text(TAG.StudyDescription),
    accessionNumber: text(TAG.AccessionNumber),
    modality: text(TAG.Modality),
    seriesNumber: int(TAG.SeriesNumber),
    seriesDescription: text(TAG.SeriesDescription),
    instanceNumber: int(TAG.InstanceNumber),
    rows: us(TAG.Rows),
    columns: us(TAG.Columns),
    frames: int(TAG.NumberOfFrames) ?? 1,
  };
  const missing = (
    [
      ['SOPInstanceUID', header.sopInstanceUid],
      ['StudyInstanceUID', header.studyInstanceUid],
      ['SeriesInstanceUID', header.seriesInstanceUid],
    ] as const
  ).filter(([, value]) => !UID_RE.test(value) || value.length > 64);
  if (missing.length > 0) {
    return {
      ok: false,
      code: 'missing_uid',
      message: `Missing or malformed ${missing.map(([name]) => name).join(', ')}.`,
    };
  }
  return { ok: true, header };
}

/** Decodes a text element per SpecificCharacterSet (ISO 2022 escapes, UTF-8, GB18030…). */
function decodeText(ds: dicomParser.DataSet, tag: string, charset: string): string {
  const element = ds.elements[tag];
  if (!element || element.length === 0) return '';
  const bytes = ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  let value: string;
  try {
    value = convertBytes(charset, bytes, { vr: element.vr ?? vrOf(tag) });
  } catch {
    // An unknown or broken charset must not lose the instance: keep the ASCII reading.
    value = ds.string(tag) ?? '';
  }
  return value.replace(/[\0\s]+$/, '').replace(/^\s+/, '');
}

// Implicit VR files carry no VR; the decoder only needs to know PN from other text.
function vrOf(tag: string): string {
  return tag === TAG.PatientName ? 'PN' : 'LO';
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && 'exception' in err) return String(err.exception);
  return 'unknown parser error';
}
