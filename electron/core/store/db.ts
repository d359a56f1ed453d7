import Database from 'better-sqlite3';
import { NoctisError } from '../errors';
import { MIGRATIONS } from './migrations';
import { nameSortKey, studyTerms } from './searchKeys';

export type Db = Database.Database;

/** Opens (creating if needed) the store's SQLite file and brings its schema up to date. */
export function openDb(file: string): Db {
  let db: Db;
  try {
    db = new Database(file);
  } catch (cause) {
    throw new NoctisError('STORE_UNAVAILABLE', { file }, { cause });
  }
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against application crashes; only power loss may
  // roll back the last transactions, which a re-import restores.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 64 MB of pages at most (the default is 2 MB): searching a large store reads the studies'
  // indexes and rows again and again, which would otherwise be read from the file each time.
  db.pragma('cache_size = -65536');
  registerSearchKeys(db);
  migrate(db);
  return db;
}

/**
 * The study browser's keys as SQL functions, so that a migration fills them for the rows already
 * stored; new rows get them from the catalog. Triggers must not call them (other tools open the file).
 */
export function registerSearchKeys(db: Db): void {
  db.function('noctis_name_key', { deterministic: true }, (name: string | null) => nameSortKey(name ?? ''));
  db.function('noctis_study_terms', { deterministic: true }, (name: string | null, patientId: string | null, accession: string | null, localReference: string | null) =>
    JSON.stringify(
      studyTerms({ patientName: name ?? '', patientId: patientId ?? '', accessionNumber: accession ?? '', localReference: localReference ?? '' }),
    ),
  );
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new NoctisError('STORE_UNAVAILABLE', {
      reason: 'database is newer than this version of Noctis',
      userVersion: current,
    });
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
