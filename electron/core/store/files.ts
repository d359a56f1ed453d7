import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** The managed folders of a data directory. */
export interface StorePaths {
  dataDir: string;
  dbFile: string;
  dicomDir: string;
  tmpDir: string;
  logsDir: string;
}

export function storePaths(dataDir: string): StorePaths {
  const root = path.resolve(dataDir);
  return {
    dataDir: root,
    dbFile: path.join(root, 'noctis.sqlite'),
    dicomDir: path.join(root, 'dicom'),
    tmpDir: path.join(root, 'tmp'),
    logsDir: path.join(root, 'logs'),
  };
}

export function ensureStoreDirs(paths: StorePaths): void {
  // 0700: the store holds patient data; only its owner may read it.
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  for (const dir of [paths.dicomDir, paths.tmpDir, paths.logsDir]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}

/**
 * Files are content-addressed (`dicom/ab/<sha256>.dcm`): two different files can never
 * collide, a conflict keeps both, and a re-copy of the same bytes is a no-op.
 */
export function storedRelPath(sha256: string): string {
  return path.join('dicom', sha256.slice(0, 2), `${sha256}.dcm`);
}

/**
 * Whether the file at a content-addressed path holds exactly these bytes. A copy renamed into
 * place whose row was never committed can be cut short by a power cut (its data not on disk
 * yet), so a file's name alone is never trusted: a copy that differs is to be replaced.
 */
export function holdsContent(file: string, size: number, sha256: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    if (fs.fstatSync(fd).size !== size) return false;
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(size, 1024 * 1024)));
    for (let position = 0; position < size; ) {
      const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
      if (n === 0) return false;
      hash.update(buffer.subarray(0, n));
      position += n;
    }
    return hash.digest('hex') === sha256;
  } finally {
    fs.closeSync(fd);
  }
}
