// Free space on the store's disk, and the floor below which Noctis takes in no more studies.
import fs from 'node:fs';
import { NoctisError } from '../errors';

export interface DiskSpace {
  /** Bytes an unprivileged process may still write. */
  freeBytes: number;
  totalBytes: number;
}

export function diskSpace(dir: string): DiskSpace {
  const s = fs.statfsSync(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

/** The store's floor, checked before work starts and while it runs. */
export interface DiskGuard {
  minFreeBytes(): number;
  /** Throws DISK_SPACE_LOW when the disk has less free space than the floor. */
  check(): void;
}

export function createDiskGuard(dir: string, minFreeBytes: () => number): DiskGuard {
  return {
    minFreeBytes,
    check() {
      const floor = minFreeBytes();
      const { freeBytes } = diskSpace(dir);
      if (freeBytes < floor) throw new NoctisError('DISK_SPACE_LOW', { dir, freeBytes, minFreeBytes: floor });
    },
  };
}

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}
