// Reading a DICOMDIR (PS3.10 media directory) to find a disc's files without scanning it.
import fs from 'node:fs';
import path from 'node:path';
import dicomParser from 'dicom-parser';

const DIRECTORY_RECORD_SEQUENCE = 'x00041220';
const REFERENCED_FILE_ID = 'x00041500';

export type DicomdirListing =
  | { ok: true; files: string[] }
  | { ok: false; reason: string };

/**
 * The files a DICOMDIR references, resolved against the folder it sits in. Discs written on
 * one system and read on another change case (IMG00001 vs img00001) and ISO 9660 adds ";1":
 * each path component is matched case-insensitively. Fails (so the caller scans instead) when
 * the DICOMDIR cannot be read or lists a file that is not there.
 */
export function listDicomdir(dicomdirPath: string): DicomdirListing {
  let records: dicomParser.Element[];
  try {
    const bytes = fs.readFileSync(dicomdirPath);
    const ds = dicomParser.parseDicom(bytes);
    records = ds.elements[DIRECTORY_RECORD_SEQUENCE]?.items ?? [];
  } catch (err) {
    return { ok: false, reason: `the DICOMDIR cannot be read (${err instanceof Error ? err.message : String(err)})` };
  }
  const root = path.dirname(dicomdirPath);
  const resolver = new CaseInsensitivePaths();
  const files: string[] = [];
  const missing: string[] = [];
  for (const record of records) {
    const id = record.dataSet?.string(REFERENCED_FILE_ID);
    if (!id) continue;
    const parts = id.split('\\').map((p) => p.trim().replace(/;\d+$/, '').replace(/\.$/, '')).filter(Boolean);
    if (parts.some((p) => p === '..' || p === '.' || p.includes('/'))) {
      missing.push(id);
      continue;
    }
    const resolved = resolver.resolve(root, parts);
    if (resolved) files.push(resolved);
    else missing.push(parts.join('/'));
  }
  if (missing.length > 0) {
    const example = missing.slice(0, 3).join(', ');
    return { ok: false, reason: `the DICOMDIR lists ${missing.length} file(s) that are not there (${example})` };
  }
  if (files.length === 0) return { ok: false, reason: 'the DICOMDIR lists no files' };
  return { ok: true, files: [...new Set(files)] };
}

/** Finds `name` in a folder whatever its case, reading each folder once. */
class CaseInsensitivePaths {
  private readonly listings = new Map<string, Map<string, string>>();

  resolve(root: string, parts: string[]): string | undefined {
    let current = root;
    for (const part of parts) {
      const actual = this.lookup(current, part);
      if (!actual) return undefined;
      current = path.join(current, actual);
    }
    try {
      return fs.statSync(current).isFile() ? current : undefined;
    } catch {
      return undefined;
    }
  }

  private lookup(dir: string, name: string): string | undefined {
    let listing = this.listings.get(dir);
    if (!listing) {
      listing = new Map();
      try {
        for (const entry of fs.readdirSync(dir)) listing.set(normalise(entry), entry);
      } catch {
        // unreadable folder: nothing resolves in it
      }
      this.listings.set(dir, listing);
    }
    return listing.get(normalise(name));
  }
}

function normalise(name: string): string {
  return name.replace(/;\d+$/, '').replace(/\.$/, '').toUpperCase();
}

/** The DICOMDIR file directly inside `dir`, whatever its case. */
export function findDicomdir(dir: string): string | undefined {
  try {
    const name = fs.readdirSync(dir).find((n) => normalise(n) === 'DICOMDIR');
    return name ? path.join(dir, name) : undefined;
  } catch {
    return undefined;
  }
}
