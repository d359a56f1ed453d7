// Making copied files durable before the rows that point at them are committed.
import { execFile } from 'node:child_process';

/**
 * How an import makes its copies durable:
 * - 'batch' (Linux): one `sync -f` (syncfs) of the store's filesystem before each committed
 *   batch — one journal flush per batch instead of one per file, as `cp -r && sync` does;
 * - 'file' (elsewhere): fdatasync of each file before it is renamed into place.
 * Either way no committed row ever points at a file that a power cut could leave partial.
 */
export type Durability = 'batch' | 'file';

export function defaultDurability(platform = process.platform): Durability {
  return platform === 'linux' ? 'batch' : 'file';
}

/** syncfs(2) through coreutils' `sync -f`: Node has no binding for it. */
export function syncFilesystem(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', dir], (error) => (error ? reject(new Error(`sync -f failed: ${error.message}`)) : resolve()));
  });
}
