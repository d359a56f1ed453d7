declare module 'dicom-character-set' {
  /** Decodes the bytes of one text value per SpecificCharacterSet (0008,0005). */
  export function convertBytes(
    specificCharacterSet: string,
    bytes: Uint8Array,
    options?: { vr?: string },
  ): string;
}
