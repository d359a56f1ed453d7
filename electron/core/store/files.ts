import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

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
 * Writes bytes into the store atomically: temp file in the same filesystem, fsync, rename.
 * A crash leaves either no file or a complete one, never a partial file at the final path.
 */
export function writeStoredFile(paths: StorePaths, sha256: string, bytes: Uint8Array): string {
  const rel = storedRelPath(sha256);
  const target = path.join(paths.dataDir, rel);
  if (fs.existsSync(target)) return rel;
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const tmp = path.join(paths.tmpDir, `${randomUUID()}.part`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      for (let done = 0; done < bytes.length; ) {
        done += fs.writeSync(fd, bytes, done, bytes.length - done);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return rel;
}
