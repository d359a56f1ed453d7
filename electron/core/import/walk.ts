import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export type WalkEntry = { kind: 'file'; path: string } | { kind: 'error'; path: string; error: NodeJS.ErrnoException };

/**
 * Yields every regular file under the given paths, depth first, one at a time (no whole-tree
 * arrays). Symlinks are followed, but a directory already visited (a link loop) is not entered
 * twice, and folders in `exclude` (the store itself) are skipped.
 */
export async function* walkFiles(roots: readonly string[], exclude: readonly string[] = []): AsyncGenerator<WalkEntry> {
  const seenDirs = new Set<string>(exclude.map((d) => path.resolve(d)));
  for (const root of roots) yield* walk(path.resolve(root), seenDirs);
}

async function* walk(target: string, seenDirs: Set<string>, known?: Dirent): AsyncGenerator<WalkEntry> {
  // A directory entry already says file or folder: only links and the roots need a stat.
  let isFile = known?.isFile() ?? false;
  let isDirectory = known?.isDirectory() ?? false;
  if (!known || known.isSymbolicLink()) {
    try {
      const stat = await fs.stat(target);
      isFile = stat.isFile();
      isDirectory = stat.isDirectory();
    } catch (error) {
      yield { kind: 'error', path: target, error: error as NodeJS.ErrnoException };
      return;
    }
  }
  if (isFile) {
    yield { kind: 'file', path: target };
    return;
  }
  if (!isDirectory) return;
  let entries: Dirent[];
  try {
    const real = await fs.realpath(target);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    entries = (await fs.readdir(target, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    yield { kind: 'error', path: target, error: error as NodeJS.ErrnoException };
    return;
  }
  for (const entry of entries) yield* walk(path.join(target, entry.name), seenDirs, entry);
}
