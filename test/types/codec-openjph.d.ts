// The part of OpenJPH's WebAssembly build (a dependency of Cornerstone's image loader) that the
// fixtures use to write HTJ2K files; the package ships no types.
declare module '@cornerstonejs/codec-openjph' {
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
    isUsingColorTransform: boolean;
  }
  class HTJ2KEncoder {
    getDecodedBuffer(info: FrameInfo): Uint8Array;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  }
  interface OpenJph {
    HTJ2KEncoder: new () => HTJ2KEncoder;
  }
  const factory: () => Promise<OpenJph>;
  export default factory;
}
