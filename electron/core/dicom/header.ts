import dicomParser from 'dicom-parser';
import { convertBytes } from 'dicom-character-set';
import { IMPLICIT_TEXT_VR, MEDIA_STORAGE_DIRECTORY, TAG, TRANSFER_SYNTAX } from './tags';

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
  referringPhysicianName: string;
  institutionName: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  bodyPartExamined: string;
  frameOfReferenceUid: string;
  instanceNumber: number | null;
  rows: number | null;
  columns: number | null;
  frames: number;
  samplesPerPixel: number | null;
  bitsAllocated: number | null;
  bitsStored: number | null;
  photometricInterpretation: string;
  imagePositionPatient: number[] | null;
  imageOrientationPatient: number[] | null;
  pixelSpacing: number[] | null;
  windowCenter: number[] | null;
  windowWidth: number[] | null;
  windowExplanation: string[];
  /** A bare dataset without preamble and meta header. */
  rawDataset: boolean;
}

export type HeaderProblem = 'not_dicom' | 'truncated' | 'corrupt' | 'missing_uid' | 'dicomdir';

/** Where the pixel data starts and how long it says it is (undefined: encapsulated). */
export interface PixelDataExtent {
  offset: number;
  length: number | undefined;
}

export type HeaderResult =
  | { ok: true; header: InstanceHeader; pixelData: PixelDataExtent | undefined }
  | { ok: false; code: HeaderProblem; message: string; needMoreBytes?: boolean };

const PREAMBLE = 128;
const UID_RE = /^[0-9]+(\.[0-9]+)*$/;
const EXPLICIT_VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV',
  'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

export function isPart10(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE + 4 &&
    bytes[PREAMBLE] === 0x44 && // D
    bytes[PREAMBLE + 1] === 0x49 && // I
    bytes[PREAMBLE + 2] === 0x43 && // C
    bytes[PREAMBLE + 3] === 0x4d // M
  );
}

/**
 * A dataset without preamble or meta header (as some old archives and modalities write): it
 * starts with a small group number (0008 usually), in implicit or explicit VR little endian.
 * Returns its transfer syntax, or undefined when the bytes do not look like one.
 */
export function detectRawDataset(bytes: Uint8Array): string | undefined {
  if (bytes.length < 16) return undefined;
  const group = bytes[0] | (bytes[1] << 8);
  const element = bytes[2] | (bytes[3] << 8);
  if (group < 0x0002 || group > 0x0010 || group % 2 !== 0 || element > 0x00ff) return undefined;
  const vr = String.fromCharCode(bytes[4], bytes[5]);
  if (EXPLICIT_VRS.has(vr)) return TRANSFER_SYNTAX.ExplicitVRLittleEndian;
  const length = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  // An implicit first element is short (a CS, UI or similar): a huge length means not DICOM.
  if (length >= 0 && length < 1024) return TRANSFER_SYNTAX.ImplicitVRLittleEndian;
  return undefined;
}

/**
 * Parses a header from the first bytes of a file (or all of it), stopping before the pixel
 * data. `complete` says whether `bytes` is the whole file: when it is not and the header runs
 * past the end, the result asks for more bytes instead of calling the file truncated.
 */
export function parseHeader(bytes: Uint8Array, complete: boolean): HeaderResult {
  const part10 = isPart10(bytes);
  const rawSyntax = part10 ? undefined : detectRawDataset(bytes);
  if (!part10 && !rawSyntax) {
    return { ok: false, code: 'not_dicom', message: 'Not a DICOM file (no "DICM" prefix, not a bare dataset).' };
  }
  if (part10 && !complete && isDeflated(bytes)) {
    // zlib cannot inflate a cut stream: deflated files are parsed whole.
    return { ok: false, code: 'corrupt', message: 'Deflated file: needs all of its bytes.', needMoreBytes: true };
  }
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, {
      untilTag: TAG.PixelData,
      ...(rawSyntax ? { TransferSyntaxUID: rawSyntax } : {}),
    });
  } catch (err) {
    if (!complete) return { ok: false, code: 'corrupt', message: 'Header longer than the bytes read.', needMoreBytes: true };
    const text = describe(err);
    // dicom-parser says a file ends early in several ways ("buffer overread", "eof encountered",
    // "position cannot be greater than or equal to 'byteArray' length").
    const cut = /overrun|overread|\beof\b|end of|beyond|'byteArray' length/i.test(text);
    return {
      ok: false,
      code: cut ? 'truncated' : 'corrupt',
      message: cut ? `The file ends inside its header (${text}).` : `The header cannot be parsed (${text}).`,
    };
  }
  const sopClass = ds.string(TAG.MediaStorageSOPClassUID) ?? ds.string(TAG.SOPClassUID);
  if (sopClass === MEDIA_STORAGE_DIRECTORY) {
    return { ok: false, code: 'dicomdir', message: 'A DICOMDIR (the index of a disc), not an image.' };
  }
  const pixel = ds.elements[TAG.PixelData];
  const pixelData = pixel
    ? { offset: pixel.dataOffset, length: pixel.hadUndefinedLength ? undefined : pixel.length }
    : undefined;
  return readHeader(ds, rawSyntax, pixelData);
}

function isDeflated(bytes: Uint8Array): boolean {
  try {
    const meta = dicomParser.readPart10Header(bytes);
    return meta.string(TAG.TransferSyntaxUID) === TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian;
  } catch {
    return false;
  }
}

function readHeader(
  ds: dicomParser.DataSet,
  rawSyntax: string | undefined,
  pixelData: PixelDataExtent | undefined,
): HeaderResult {
  const charset = ds.string(TAG.SpecificCharacterSet) ?? '';
  const text = (tag: string): string => decodeText(ds, tag, charset);
  const uid = (tag: string): string => (ds.string(tag) ?? '').replace(/\0/g, '').trim();
  const int = (tag: string): number | null => {
    const value = ds.intString(tag);
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  const us = (tag: string): number | null => (ds.elements[tag] ? (ds.uint16(tag) ?? null) : null);
  const numbers = (tag: string): number[] | null => {
    const raw = ds.string(tag);
    if (!raw) return null;
    const values = raw.split('\\').map((v) => Number.parseFloat(v));
    return values.every(Number.isFinite) ? values : null;
  };

  const header: InstanceHeader = {
    transferSyntaxUid: rawSyntax ?? uid(TAG.TransferSyntaxUID),
    sopClassUid: uid(TAG.SOPClassUID) || uid(TAG.MediaStorageSOPClassUID),
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
    referringPhysicianName: text(TAG.ReferringPhysicianName),
    institutionName: text(TAG.InstitutionName),
    modality: text(TAG.Modality),
    seriesNumber: int(TAG.SeriesNumber),
    seriesDescription: text(TAG.SeriesDescription),
    bodyPartExamined: text(TAG.BodyPartExamined),
    frameOfReferenceUid: uid(TAG.FrameOfReferenceUID),
    instanceNumber: int(TAG.InstanceNumber),
    rows: us(TAG.Rows),
    columns: us(TAG.Columns),
    frames: int(TAG.NumberOfFrames) ?? 1,
    samplesPerPixel: us(TAG.SamplesPerPixel),
    bitsAllocated: us(TAG.BitsAllocated),
    bitsStored: us(TAG.BitsStored),
    photometricInterpretation: text(TAG.PhotometricInterpretation),
    imagePositionPatient: numbers(TAG.ImagePositionPatient),
    imageOrientationPatient: numbers(TAG.ImageOrientationPatient),
    pixelSpacing: numbers(TAG.PixelSpacing),
    windowCenter: numbers(TAG.WindowCenter),
    windowWidth: numbers(TAG.WindowWidth),
    windowExplanation: text(TAG.WindowCenterWidthExplanation).split('\\').filter(Boolean),
    rawDataset: rawSyntax !== undefined,
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
  return { ok: true, header, pixelData };
}

/** Decodes a text element per SpecificCharacterSet (ISO 2022 escapes, UTF-8, GB18030…). */
function decodeText(ds: dicomParser.DataSet, tag: string, charset: string): string {
  const element = ds.elements[tag];
  if (!element || element.length === 0) return '';
  const bytes = ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  let value: string;
  try {
    value = convertBytes(charset, bytes, { vr: element.vr ?? IMPLICIT_TEXT_VR[tag] ?? 'CS' });
  } catch {
    // An unknown or broken charset must not lose the instance: keep the ASCII reading.
    value = ds.string(tag) ?? '';
  }
  return value.replace(/[\0\s]+$/, '').replace(/^\s+/, '');
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && 'exception' in err) return String(err.exception);
  return 'unknown parser error';
}
