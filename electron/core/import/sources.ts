// What an import reads: folders (scanned), discs (through their DICOMDIR when it is sound),
// single files, and .zip archives (extracted to the store's tmp folder first).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ImportSource } from '../../../shared/import';
import { findDicomdir, listDicomdir } from './dicomdir';
import { walkFiles, type WalkEntry } from './walk';
import { extractZip } from './zip';

type Part = { kind: 'dicomdir'; files: string[] } | { kind: 'scan'; root: string } | { kind: 'file'; path: string };

export interface ImportPlan {
  source: ImportSource;
  /** Why a DICOMDIR was or was not used, archives extracted… for the report. */
  notes: string[];
  /** Every input file, one at a time. */
  entries(): AsyncGenerator<WalkEntry>;
  /** The path to show for a file: inside an archive, `archive.zip/inner/path`. */
  displayPath(file: string): string;
  /** Removes what the plan extracted. */
  cleanup(): void;
}

export async function planImport(inputs: readonly string[], tmpDir: string, storeDir: string): Promise<ImportPlan> {
  const parts: Part[] = [];
  const notes: string[] = [];
  const extracted: Array<{ dir: string; archive: string }> = [];

  const plan = (input: string, shownAs: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      parts.push({ kind: 'file', path: input }); // the walk reports it with its error
      return;
    }
    const dicomdir = stat.isDirectory() ? findDicomdir(input) : path.basename(input).toUpperCase() === 'DICOMDIR' ? input : undefined;
    if (dicomdir) {
      const listing = listDicomdir(dicomdir);
      if (listing.ok) {
        parts.push({ kind: 'dicomdir', files: listing.files });
        notes.push(`${shownAs}: read the DICOMDIR (${listing.files.length} files).`);
        return;
      }
      notes.push(`${shownAs}: scanned the whole folder because ${listing.reason}.`);
      parts.push({ kind: 'scan', root: stat.isDirectory() ? input : path.dirname(input) });
      return;
    }
    parts.push(stat.isDirectory() ? { kind: 'scan', root: input } : { kind: 'file', path: input });
  };

  for (const input of inputs.map((p) => path.resolve(p))) {
    if (/\.zip$/i.test(input) && fs.existsSync(input)) {
      const dir = path.join(tmpDir, `zip-${randomUUID()}`);
      try {
        const count = await extractZip(input, dir);
        extracted.push({ dir, archive: input });
        notes.push(`${input}: extracted ${count} files from the archive.`);
        plan(dir, input);
      } catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        notes.push(`${input}: not a readable zip archive (${err instanceof Error ? err.message : String(err)}).`);
        parts.push({ kind: 'file', path: input });
      }
      continue;
    }
    plan(input, input);
  }

  const kinds = new Set(parts.map((p) => p.kind));
  const source: ImportSource = kinds.has('scan') ? 'scan' : kinds.has('dicomdir') ? 'dicomdir' : 'files';

  return {
    source,
    notes,
    async *entries() {
      const seen = new Set<string>();
      for (const part of parts) {
        if (part.kind === 'dicomdir') {
          for (const file of part.files) {
            if (!seen.has(file)) yield { kind: 'file', path: file };
            seen.add(file);
          }
        } else {
          for await (const entry of walkFiles([part.kind === 'scan' ? part.root : part.path], [storeDir])) {
            if (seen.has(entry.path)) continue;
            seen.add(entry.path);
            yield entry;
          }
        }
      }
    },
    displayPath(file) {
      const from = extracted.find((e) => file.startsWith(e.dir + path.sep));
      return from ? path.join(from.archive, path.relative(from.dir, file)) : file;
    },
    cleanup() {
      for (const e of extracted) fs.rmSync(e.dir, { recursive: true, force: true });
    },
  };
}
