// The small part of dcmjs the fixture generator uses (the package ships no types).
declare module 'dcmjs' {
  type Naturalized = Record<string, unknown>;
  type Denaturalized = Record<string, unknown>;
  class DicomDict {
    constructor(meta: Denaturalized);
    dict: Denaturalized;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  const data: {
    DicomDict: typeof DicomDict;
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: Naturalized): Denaturalized;
      uid(): string;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
}
