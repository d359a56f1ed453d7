// Makes committed transactions durable off the thread that committed them. synchronous=FULL would
// have SQLite fsync its log inside the commit, blocking the event loop every association shares;
// instead the commit runs in NORMAL mode and the log file is synced here, on the thread pool.
// fsync applies to the file, not the descriptor, so our own descriptor of it serves.
import fs from 'node:fs';
import type { Db } from './db';

export interface LogSync {
  /** Resolves once every transaction committed before the call would survive a power cut. */
  sync(): Promise<void>;
  close(): void;
}

export function createLogSync(db: Db): LogSync {
  // In WAL mode a commit is in the -wal file; in a rollback-journal mode, in the database file.
  const wal = String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
  const file = wal ? `${db.name}-wal` : db.name;
  let open: { fd: number; ino: number } | undefined;

  const descriptor = (): number => {
    // SQLite keeps the log while a connection is open; should it ever make a new one, follow it.
    const ino = fs.statSync(file).ino;
    if (open?.ino === ino) return open.fd;
    if (open) fs.closeSync(open.fd);
    const fd = fs.openSync(file, 'r+');
    open = { fd, ino: fs.fstatSync(fd).ino };
    return fd;
  };

  return {
    async sync() {
      const fd = descriptor();
      await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    },
    close() {
      if (open) fs.closeSync(open.fd);
      open = undefined;
    },
  };
}
