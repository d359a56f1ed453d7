// The per-file work of an import, run in a worker thread: classify, parse the header, check the
// pixel data is all there, hash, and (unless linking) copy into the store. One pass over the
// bytes, in chunks: files are never held whole in memory (deflated ones excepted).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { FileProblem } from '../../../shared/import';
import { parseHeader, type InstanceHeader, type PixelDataExtent } from '../dicom/header';
import { holdsContent, storedRelPath } from '../store/files';

export interface ReadTask {
  path: string;
  /** copy: into the managed store; link: index the file where it is. */
  mode: 'copy' | 'link';
  dataDir: string;
  tmpDir: string;
  /** fdatasync each copy before it is renamed into place (power-loss safety). */
  durable: boolean;
}

export type ReadResult =
  | { ok: false; path: string; code: FileProblem | 'dicomdir'; message: string; size: number; errno?: string }
  | {
      ok: true;
      path: string;
      header: InstanceHeader;
      sha256: string;
      size: number;
      mtimeMs: number;
      /** Relative to the data directory for copies; absolute for links. */
      storedPath: string;
    };

/** The bytes read first: headers end well within them (the pixel data is not read to parse). */
export const PREFIX_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const SEQUENCE_DELIMITER = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);

export function readInstance(task: ReadTask): ReadResult {
  const fail = (code: FileProblem | 'dicomdir', message: string, size = 0): Extract<ReadResult, { ok: false }> => ({
    ok: false,
    path: task.path,
    code,
    message,
    size,
  });
  let fd: number;
  try {
    fd = fs.openSync(task.path, 'r');
  } catch (err) {
    return fail(ioCode(err), `Cannot open the file (${errCode(err)}).`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return fail('not_dicom', 'Not a regular file.');
    const size = stat.size;
    if (size === 0) return fail('not_dicom', 'Empty file (0 bytes).', 0);

    const inspected = inspect(size, (position, length) => readAt(fd, position, length));
    if (!inspected.ok) return fail(inspected.code, inspected.message, size);
    const { header, head } = inspected;
    const { sha256, storedPath } =
      task.mode === 'copy' ? copyAndHash(fd, size, head, task) : { sha256: hashOnly(fd, size, head), storedPath: path.resolve(task.path) };
    return { ok: true, path: task.path, header, sha256, size, mtimeMs: stat.mtimeMs, storedPath };
  } catch (err) {
    return { ...fail(ioCode(err), `Cannot read or copy the file (${errCode(err)}).`), errno: (err as NodeJS.ErrnoException).code };
  } finally {
    fs.closeSync(fd);
  }
}

export type Inspected = { ok: true; header: InstanceHeader; head: Buffer } | { ok: false; code: FileProblem | 'dicomdir'; message: string };

/**
 * Classifies an instance of `size` bytes and parses its header from the first bytes (all of
 * them when the header needs it), then checks that its pixel data is all there. `read` gives
 * bytes of the instance: from its file, or (received over the network) from memory.
 */
export function inspect(size: number, read: (position: number, length: number) => Buffer): Inspected {
  if (size === 0) return { ok: false, code: 'not_dicom', message: 'Empty file (0 bytes).' };
  let head = read(0, Math.min(size, PREFIX_BYTES));
  let parsed = parseHeader(head, head.length === size);
  if (!parsed.ok && parsed.needMoreBytes) {
    head = read(0, size);
    parsed = parseHeader(head, true);
  }
  if (!parsed.ok) return parsed;
  const cut = pixelDataCut(size, parsed.pixelData, parsed.header, () => read(size - 8, 8));
  if (cut) return { ok: false, code: 'truncated', message: cut };
  return { ok: true, header: parsed.header, head };
}

/**
 * Moves a received instance into its content-addressed place, durably: its data (synced since
 * `copy.synced` began) and the folder entry naming it are both on disk when this resolves. Both
 * syncs run at once; the row that points at the file is committed only after. A copy already
 * there with the same bytes stays (synced again: its first sync may never have finished).
 */
export async function moveIntoStore(from: string, target: string, copy: { size: number; sha256: string; synced: Promise<void> }): Promise<void> {
  const dir = path.dirname(target);
  if (holdsContent(target, copy.size, copy.sha256)) {
    fs.rmSync(from, { force: true });
    await copy.synced.catch(() => undefined); // that copy is gone: only its descriptor mattered
    await Promise.all([syncPath(target, 'r+'), syncFolder(dir)]);
    return;
  }
  try {
    fs.renameSync(from, target); // over a differing copy: a partial one a power cut left
  } catch (error) {
    // The first file of its folder (one of 256): made here rather than looked for every time.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(from)) throw error;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.renameSync(from, target);
  }
  try {
    await Promise.all([copy.synced, syncFolder(dir)]);
  } catch (error) {
    // After a failed sync the page cache may hold bytes the disk never got, and a later sync from
    // another descriptor can report success: the file must go, or a later copy would trust it.
    fs.rmSync(target, { force: true });
    throw error;
  }
}

/** A folder's names survive a power cut once it is synced. Windows cannot open one to sync it. */
function syncFolder(dir: string): Promise<void> {
  return process.platform === 'win32' ? Promise.resolve() : syncPath(dir, 'r');
}

/** fsync on the thread pool. */
async function syncPath(file: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await fs.promises.open(file, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A file cut inside its pixel data still has a readable header: check the data is all there. */
function pixelDataCut(size: number, pixel: PixelDataExtent | undefined, header: InstanceHeader, lastEightBytes: () => Buffer): string | undefined {
  if (!pixel || header.transferSyntaxUid === '1.2.840.10008.1.2.1.99') return undefined; // deflated: offsets are inflated ones
  if (pixel.length !== undefined) {
    const end = pixel.offset + pixel.length;
    return end > size ? `The pixel data is cut: ${end - size} of ${pixel.length} bytes missing.` : undefined;
  }
  // Encapsulated (compressed) pixel data ends with a sequence delimitation item.
  if (size < pixel.offset + 8) return 'The compressed pixel data is cut.';
  return lastEightBytes().equals(SEQUENCE_DELIMITER) ? undefined : 'The compressed pixel data is cut (no end marker).';
}

function copyAndHash(fd: number, size: number, head: Buffer, task: ReadTask): { sha256: string; storedPath: string } {
  const hash = createHash('sha256');
  const tmp = path.join(task.tmpDir, `${randomUUID()}.part`);
  const out = fs.openSync(tmp, 'wx', 0o600);
  try {
    const write = (chunk: Buffer) => {
      hash.update(chunk);
      for (let done = 0; done < chunk.length; ) done += fs.writeSync(out, chunk, done, chunk.length - done);
    };
    streamFile(fd, size, head, write);
    if (task.durable) fs.fdatasyncSync(out);
  } catch (err) {
    fs.closeSync(out);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(out);
  const sha256 = hash.digest('hex');
  const storedPath = storedRelPath(sha256);
  const target = path.join(task.dataDir, storedPath);
  // Content-addressed: a file already at its final path with these very bytes makes ours redundant.
  if (holdsContent(target, size, sha256)) {
    fs.rmSync(tmp, { force: true });
  } else {
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { force: true }); // a full disk cannot even take a new folder
      throw err;
    }
  }
  return { sha256, storedPath };
}

function hashOnly(fd: number, size: number, head: Buffer): string {
  const hash = createHash('sha256');
  streamFile(fd, size, head, (chunk) => hash.update(chunk));
  return hash.digest('hex');
}

/** Feeds the whole file to `sink` in order: the bytes already read, then the rest in chunks. */
function streamFile(fd: number, size: number, head: Buffer, sink: (chunk: Buffer) => void): void {
  sink(head);
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, size - head.length)));
  for (let position = head.length; position < size; ) {
    const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
    if (n === 0) throw Object.assign(new Error('file shrank while reading'), { code: 'EIO' });
    sink(buffer.subarray(0, n));
    position += n;
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

function ioCode(err: unknown): FileProblem {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'unreadable' : 'io_error';
}
