// Where one C-STORE's dataset goes while it arrives: straight to a temp file behind the Part 10
// header we write (the network carries the bare dataset), so memory does not grow with the
// size or number of instances. Writes are synchronous: each PDU's bytes reach the page cache
// before the next PDU is read, which is backpressure without buffering.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { part10Prefix, type MetaInfo } from '../dicom/part10';

export class StoreFile extends Writable {
  readonly path: string;
  bytes = 0;
  /** Why writing failed (e.g. ENOSPC); the rest of the instance is read and dropped. */
  failure: NodeJS.ErrnoException | undefined;
  private fd: number | undefined;

  /** `refused`: take the bytes and drop them (e.g. the disk is below its free-space floor). */
  constructor(tmpDir: string, meta: MetaInfo, refused?: NodeJS.ErrnoException) {
    // Writes are synchronous, so nothing is ever buffered: no reason to signal backpressure.
    super({ highWaterMark: 64 * 1024 * 1024 });
    this.path = path.join(tmpDir, `rx-${randomUUID()}.dcm`);
    if (refused) {
      this.failure = refused;
      return;
    }
    try {
      this.fd = fs.openSync(this.path, 'wx', 0o600);
      this.writeAll(part10Prefix(meta));
    } catch (err) {
      this.fail(err);
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.fd !== undefined) {
      try {
        this.writeAll(chunk);
      } catch (err) {
        this.fail(err);
      }
    }
    callback(); // never an error: the association goes on and this instance is answered "failed"
  }

  /**
   * Closes the complete file; false when writing failed (the file is gone then). The reader
   * thread syncs it before it renames it into the store: a sync here would stall every
   * association on this thread.
   */
  finish(): boolean {
    if (this.fd === undefined) return false;
    try {
      fs.closeSync(this.fd);
      this.fd = undefined;
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  /** Removes the partial file (an association ended mid-instance, or writing failed). */
  discard(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.path, { force: true });
  }

  private writeAll(bytes: Buffer): void {
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd as number, bytes, done, bytes.length - done);
  }

  private fail(err: unknown): void {
    this.failure ??= err as NodeJS.ErrnoException;
    this.discard();
  }
}
