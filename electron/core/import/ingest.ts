// What a file that was read means to the store: the one rule every way in shares (folder and
// disc imports, dropped files, the DICOM receiver). Same SOPInstanceUID and the same bytes: a
// duplicate; same UID, other bytes: a conflict, kept and reported, never dropped.
import type { KnownInstance, StoredFile } from '../store/catalog';
import type { IndexWriter } from './indexWriter';
import type { ReadResult } from './readInstance';

export type IngestOutcome = { kind: 'imported' } | { kind: 'duplicate'; known: KnownInstance } | { kind: 'conflict' };

export interface IngestOptions {
  linked: boolean;
  /** Where the file came from, as the report shows it (a path, or `AET@host` for the network). */
  shownPath: string;
  /** Remember the source file (path, size, mtime) so that a re-import skips it unread. */
  rememberSource: boolean;
}

export function ingestRead(writer: IndexWriter, result: Extract<ReadResult, { ok: true }>, options: IngestOptions): IngestOutcome {
  const { header } = result;
  const file: StoredFile = { path: result.storedPath, size: result.size, sha256: result.sha256, linked: options.linked };
  const known = writer.find(header.sopInstanceUid);
  if (known && known.sha256 === result.sha256) return { kind: 'duplicate', known };
  if (known) {
    writer.add({ kind: 'conflict', sopInstanceUid: header.sopInstanceUid, file, shownPath: options.shownPath });
    return { kind: 'conflict' };
  }
  const source = options.rememberSource
    ? { path: result.path, size: result.size, mtimeMs: result.mtimeMs, sha256: result.sha256, sopInstanceUid: header.sopInstanceUid }
    : undefined;
  writer.add({ kind: 'instance', header, file, source });
  return { kind: 'imported' };
}
