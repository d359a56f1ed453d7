// Where one C-STORE's data set goes while it arrives: straight to a temp file behind the Part 10
// header we write (the network carries the bare data set), hashed on the way, its first bytes
// kept for the header and its last for the end-of-data check. Memory does not grow with the
// size or number of instances, and the file is never read back. Writes are synchronous: each
// PDU's bytes reach the page cache before the next PDU is read (backpressure without a buffer).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { Writable } from 'node:stream';
import { part10Prefix, type MetaInfo } from '../dicom/part10';
import { PREFIX_BYTES } from '../import/readInstance';

/** A received instance, complete, as the ingestion takes it. */
export interface ReceivedFile {
  path: string;
  size: number;
  sha256: string;
  /** Its fdatasync, begun when it was complete (then its descriptor is closed). */
  synced: Promise<void>;
  /** The first bytes (PREFIX_BYTES at most) and the last eight. */
  head: Buffer;
  tail: Buffer;
}

export class StoreFile extends Writable {
  readonly path: string;
  /** Bytes of the data set received (the Part 10 header not counted). */
  bytes = 0;
  /** Why writing failed (e.g. ENOSPC); the rest of the instance is read and dropped. */
  failure: NodeJS.ErrnoException | undefined;
  private fd: number | undefined;
  private size = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail = Buffer.alloc(0);

  /** `refused`: take the bytes and drop them (e.g. the disk is below its free-space floor). */
  constructor(temp: TempFiles, meta: MetaInfo, refused?: NodeJS.ErrnoException) {
    // Writes are synchronous, so nothing is ever buffered: no reason to signal backpressure.
    super({ highWaterMark: 64 * 1024 * 1024 });
    if (refused) {
      this.path = '';
      this.failure = refused;
      return;
    }
    let file: { path: string; fd: number };
    try {
      file = temp.take();
    } catch (err) {
      this.path = '';
      this.fail(err);
      return;
    }
    this.path = file.path;
    this.fd = file.fd;
    try {
      this.append(part10Prefix(meta));
    } catch (err) {
      this.fail(err);
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.fd !== undefined) {
      try {
        this.append(chunk);
      } catch (err) {
        this.fail(err);
      }
    }
    callback(); // never an error: the association goes on and this instance is answered "failed"
  }

  /**
   * The complete file, its sync begun on the thread pool (an association waiting for its disk
   * does not hold up the others; the instance is inspected and moved meanwhile); undefined when
   * writing failed (the file is gone then).
   */
  finish(): ReceivedFile | undefined {
    const fd = this.fd;
    if (fd === undefined) return undefined;
    this.fd = undefined;
    const synced = new Promise<void>((resolve, reject) =>
      fs.fdatasync(fd, (err) => {
        fs.close(fd, () => undefined);
        if (err) reject(err);
        else resolve();
      }),
    );
    synced.catch(() => undefined); // the ingestion awaits it; not an unhandled rejection meanwhile
    return { path: this.path, size: this.size, sha256: this.hash.digest('hex'), head: Buffer.concat(this.head), tail: this.tail, synced };
  }

  /** Removes the partial file (an association ended mid-instance, or writing failed). */
  discard(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    if (this.path) fs.rmSync(this.path, { force: true });
  }

  private append(bytes: Buffer): void {
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd as number, bytes, done, bytes.length - done);
    this.hash.update(bytes);
    this.size += bytes.length;
    if (this.headBytes < PREFIX_BYTES) {
      const kept = bytes.subarray(0, PREFIX_BYTES - this.headBytes);
      this.head.push(Buffer.from(kept)); // a copy: a view would keep the whole network chunk alive
      this.headBytes += kept.length;
    }
    this.tail = Buffer.concat([this.tail, bytes.subarray(Math.max(0, bytes.length - 8))]).subarray(-8);
  }

  private fail(err: unknown): void {
    this.failure ??= err as NodeJS.ErrnoException;
    this.discard();
  }
}

/**
 * New temp files for received instances, a few always opened ahead on the thread pool: creating
 * a file waits on the file system's journal (a millisecond while another file is being synced),
 * and the thread every association shares should not. One ahead per association that may be
 * receiving at once; past that, a file is made on the spot.
 */
export class TempFiles {
  private readonly ready: Array<{ path: string; fd: number }> = [];
  private opening = 0;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly ahead = 4,
  ) {
    this.refill();
  }

  take(): { path: string; fd: number } {
    const file = this.ready.pop() ?? this.open();
    this.refill();
    return file;
  }

  close(): void {
    this.closed = true;
    for (const file of this.ready.splice(0)) {
      fs.closeSync(file.fd);
      fs.rmSync(file.path, { force: true });
    }
  }

  private open(): { path: string; fd: number } {
    const file = this.next();
    return { path: file, fd: fs.openSync(file, 'wx', 0o600) };
  }

  private refill(): void {
    while (!this.closed && this.ready.length + this.opening < this.ahead) {
      this.opening++;
      const file = this.next();
      fs.open(file, 'wx', 0o600, (err, fd) => {
        this.opening--;
        if (err) return; // made on the spot next time, where the error is reported
        if (this.closed) {
          fs.closeSync(fd);
          fs.rmSync(file, { force: true });
        } else this.ready.push({ path: file, fd });
      });
    }
  }

  private next(): string {
    return path.join(this.dir, `rx-${randomUUID()}.dcm`);
  }
}
