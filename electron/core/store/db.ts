import Database from 'better-sqlite3';
import { NoctisError } from '../errors';
import { MIGRATIONS } from './migrations';

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
  migrate(db);
  return db;
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
