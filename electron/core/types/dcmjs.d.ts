// The small part of dcmjs that Noctis uses (the package ships no types): the fixture generator
// writes files with it, the tag browser reads its data dictionary.
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
      /** Keyed `(GGGG,EEEE)`: the standard's VR and keyword of each element. */
      dictionary: Record<string, { tag: string; vr: string; vm: string; name: string } | undefined>;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
}
