// Cuts the byte stream of an association into whole PDUs, in place of dcmjs-dimse's own reader:
// that one joins every network chunk onto the PDU so far (a copy per chunk, garbage at the
// rate of the network) and buffers whatever length a PDU header claims. This one keeps a PDU's
// chunks and joins them once (a PDU inside one chunk is not copied at all), and refuses a PDU
// longer than we allow before reading its body.

/** A-ASSOCIATE-RQ and the other control PDUs are small; 1 MiB is far more than any needs. */
const MAX_CONTROL_PDU = 1024 * 1024;
export const P_DATA_TF = 0x04;
const HEADER = 6;
const KNOWN_TYPES = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);

export class PduReader {
  private parts: Buffer[] = [];
  private buffered = 0;

  /** `maxPduBytes`: the largest P-DATA-TF body we told the peer we take. */
  constructor(
    private readonly maxPduBytes: number,
    private readonly onPdu: (type: number, pdu: Buffer) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  feed(chunk: Buffer): void {
    this.parts.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= HEADER) {
      const head = this.peek(HEADER);
      const type = head[0];
      const length = head.readUInt32BE(2);
      if (!KNOWN_TYPES.has(type)) return this.fail(new Error(`Unknown PDU type: ${type}`));
      const limit = type === P_DATA_TF ? this.maxPduBytes : MAX_CONTROL_PDU;
      if (length > limit) return this.fail(new Error(`PDU of ${length} bytes is over the ${limit}-byte limit`));
      if (this.buffered < HEADER + length) return;
      this.onPdu(type, this.take(HEADER + length));
    }
  }

  private fail(error: Error): void {
    this.parts = [];
    this.buffered = 0;
    this.onError(error);
  }

  /** The first n buffered bytes, without consuming them (copied only if they span chunks). */
  private peek(n: number): Buffer {
    const first = this.parts[0];
    return first.length >= n ? first : Buffer.concat(this.parts, n);
  }

  /** Consumes the first n bytes: a view into the first chunk when it holds them all. */
  private take(n: number): Buffer {
    const first = this.parts[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.parts.shift();
      else this.parts[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const part = this.parts[0];
        const used = Math.min(part.length, n - filled);
        part.copy(out, filled, 0, used);
        filled += used;
        if (used === part.length) this.parts.shift();
        else this.parts[0] = part.subarray(used);
      }
    }
    this.buffered -= n;
    return out;
  }
}
