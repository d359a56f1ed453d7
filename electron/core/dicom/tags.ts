// Tags the index reads, in dicom-parser's 'xggggeeee' form.
export const TAG = {
  MediaStorageSOPClassUID: 'x00020002',
  MediaStorageSOPInstanceUID: 'x00020003',
  TransferSyntaxUID: 'x00020010',
  SpecificCharacterSet: 'x00080005',
  SOPClassUID: 'x00080016',
  SOPInstanceUID: 'x00080018',
  StudyDate: 'x00080020',
  StudyTime: 'x00080030',
  AccessionNumber: 'x00080050',
  Modality: 'x00080060',
  InstitutionName: 'x00080080',
  ReferringPhysicianName: 'x00080090',
  StudyDescription: 'x00081030',
  SeriesDescription: 'x0008103e',
  PatientName: 'x00100010',
  PatientID: 'x00100020',
  IssuerOfPatientID: 'x00100021',
  PatientBirthDate: 'x00100030',
  PatientSex: 'x00100040',
  BodyPartExamined: 'x00180015',
  StudyInstanceUID: 'x0020000d',
  SeriesInstanceUID: 'x0020000e',
  SeriesNumber: 'x00200011',
  InstanceNumber: 'x00200013',
  ImagePositionPatient: 'x00200032',
  ImageOrientationPatient: 'x00200037',
  FrameOfReferenceUID: 'x00200052',
  SamplesPerPixel: 'x00280002',
  PhotometricInterpretation: 'x00280004',
  NumberOfFrames: 'x00280008',
  Rows: 'x00280010',
  Columns: 'x00280011',
  PixelSpacing: 'x00280030',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  WindowCenter: 'x00281050',
  WindowWidth: 'x00281051',
  WindowCenterWidthExplanation: 'x00281055',
  PixelData: 'x7fe00010',
} as const;

/** Text VRs of the tags above in implicit-VR files, where the file does not say. */
export const IMPLICIT_TEXT_VR: Record<string, string> = {
  [TAG.PatientName]: 'PN',
  [TAG.ReferringPhysicianName]: 'PN',
  [TAG.StudyDescription]: 'LO',
  [TAG.SeriesDescription]: 'LO',
  [TAG.InstitutionName]: 'LO',
  [TAG.PatientID]: 'LO',
  [TAG.IssuerOfPatientID]: 'LO',
  [TAG.WindowCenterWidthExplanation]: 'LO',
  [TAG.AccessionNumber]: 'SH',
};

export const TRANSFER_SYNTAX = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
} as const;

/** The Media Storage Directory SOP Class: a DICOMDIR, not an image. */
export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
