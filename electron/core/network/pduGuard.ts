// dcmjs-dimse buffers a whole PDU of whatever length its header claims before it looks at it,
// so a peer could make us hold gigabytes. This reads the same bytes first (PDU type and length)
// and cuts the connection when a PDU is longer than we allow.
import type net from 'node:net';

/** A-ASSOCIATE-RQ and the other control PDUs are small; 1 MiB is far more than any needs. */
const MAX_CONTROL_PDU = 1024 * 1024;
const P_DATA_TF = 0x04;
const HEADER = 6;

export class PduGuard {
  private header = Buffer.alloc(0);
  /** Bytes of the current PDU's body still to come. */
  private remaining = 0;

  constructor(
    private readonly socket: net.Socket,
    private readonly maxPduBytes: number,
  ) {
    socket.prependListener('data', (chunk: Buffer) => this.feed(chunk));
  }

  private feed(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= take;
        offset += take;
        continue;
      }
      const take = Math.min(HEADER - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < HEADER) return;
      const type = this.header[0];
      const length = this.header.readUInt32BE(2);
      this.header = Buffer.alloc(0);
      // The peer cuts P-DATA to our maximum (told at association); a little slack for its header.
      const limit = type === P_DATA_TF ? this.maxPduBytes + HEADER : MAX_CONTROL_PDU;
      if (length > limit) {
        this.socket.destroy(new Error(`PDU of ${length} bytes is over the ${limit}-byte limit`));
        return;
      }
      this.remaining = length;
    }
  }
}
