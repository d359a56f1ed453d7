import fs from 'node:fs/promises';
import path from 'node:path';

export type WalkEntry = { kind: 'file'; path: string } | { kind: 'error'; path: string; error: NodeJS.ErrnoException };

/**
 * Yields every regular file under the given paths, depth first, one at a time (no whole-tree
 * arrays). Symlinks are followed, but a directory already visited (a link loop) is not entered twice.
 */
export async function* walkFiles(roots: readonly string[]): AsyncGenerator<WalkEntry> {
  const seenDirs = new Set<string>();
  for (const root of roots) yield* walk(path.resolve(root), seenDirs);
}

async function* walk(target: string, seenDirs: Set<string>): AsyncGenerator<WalkEntry> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    yield { kind: 'error', path: target, error: error as NodeJS.ErrnoException };
    return;
  }
  if (stat.isFile()) {
    yield { kind: 'file', path: target };
    return;
  }
  if (!stat.isDirectory()) return;
  let real: string;
  let names: string[];
  try {
    real = await fs.realpath(target);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    names = (await fs.readdir(target)).sort();
  } catch (error) {
    yield { kind: 'error', path: target, error: error as NodeJS.ErrnoException };
    return;
  }
  for (const name of names) yield* walk(path.join(target, name), seenDirs);
}
