// Writes what an import read into the index in batched transactions, after the batch's files
// are durable. Remembers what it holds but has not written yet, so that a file met twice in one
// import (same SOPInstanceUID) is recognised before its first copy reaches the database.
import type { InstanceHeader } from '../dicom/header';
import type { Catalog, Created, KnownInstance, SourceRecord, StoredFile } from '../store/catalog';
import type { Db } from '../store/db';

export type IndexItem =
  | { kind: 'instance'; header: InstanceHeader; file: StoredFile; source?: SourceRecord }
  | { kind: 'conflict'; sopInstanceUid: string; file: StoredFile; shownPath: string };

export interface IndexWriterOptions {
  db: Db;
  catalog: Catalog;
  created: Created;
  /** Makes the batch's files durable before its rows are written. */
  beforeCommit: (files: StoredFile[]) => Promise<void>;
  afterCommit: (studyInstanceUids: string[]) => void;
  batchSize: number;
  batchMs: number;
  /** The facility new studies belong to when their institution maps to none. */
  facilityId: number | null;
  /**
   * Awaited after each commit, before it counts as written: the receiver syncs SQLite's log there,
   * as it answers a C-STORE only once its row would survive a power cut. Imports, which can be
   * run again, leave it out (NORMAL: durable against crashes).
   */
  afterWrite?: () => Promise<void>;
}

export class IndexWriter {
  private pending: IndexItem[] = [];
  /** Instances read but not yet in the database, by SOPInstanceUID. */
  private readonly unwritten = new Map<string, KnownInstance>();
  private chain: Promise<void> = Promise.resolve();
  private lastCommit = performance.now();
  /** Why a commit failed (then every later one fails too); undefined while all went well. */
  failure: unknown;
  /** Instances committed so far. */
  written = 0;
  private readonly write: (items: IndexItem[]) => void;

  constructor(private readonly options: IndexWriterOptions) {
    const { catalog, created, db } = options;
    this.write = db.transaction((items: IndexItem[]) => {
      for (const item of items) {
        if (item.kind === 'instance') {
          catalog.addInstance(item.header, item.file, created, options.facilityId);
          if (item.source) catalog.rememberSource(item.source);
        } else {
          catalog.addConflict(item.sopInstanceUid, item.file, item.shownPath);
        }
      }
    });
  }

  /** The instance with this UID, written or about to be. */
  find(sopInstanceUid: string): KnownInstance | undefined {
    return this.unwritten.get(sopInstanceUid) ?? this.options.catalog.findInstance(sopInstanceUid);
  }

  add(item: IndexItem): void {
    if (item.kind === 'instance') this.unwritten.set(item.header.sopInstanceUid, item.file);
    this.pending.push(item);
    if (this.pending.length >= this.options.batchSize) void this.commit();
  }

  /** Commits when the oldest pending item has waited long enough. */
  tick(): void {
    if (performance.now() - this.lastCommit >= this.options.batchMs) void this.commit();
  }

  /**
   * Queues a commit of everything pending; resolves when it is written. A failed commit fails
   * every later one, and the import sees it at its final commit.
   */
  commit(): Promise<void> {
    this.lastCommit = performance.now();
    if (this.pending.length === 0) return this.chain;
    const batch = this.pending;
    this.pending = [];
    const next = this.chain.then(async () => {
      await this.options.beforeCommit(batch.map((item) => item.file));
      this.write(batch);
      await this.options.afterWrite?.();
      for (const item of batch) if (item.kind === 'instance') this.written++;
      for (const item of batch) if (item.kind === 'instance') this.unwritten.delete(item.header.sopInstanceUid);
      const studies = batch.flatMap((item) => (item.kind === 'instance' ? [item.header.studyInstanceUid] : []));
      this.options.afterCommit([...new Set(studies)]);
    });
    next.catch((err: unknown) => {
      this.failure ??= err; // the import stops on it and sees it again at its last commit
    });
    this.chain = next;
    return next;
  }
}
