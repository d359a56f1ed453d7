// Reads the JSON-lines log newest first for the log viewer, without loading whole files: each
// file is read backwards in chunks until enough matching lines are found.
import fs from 'node:fs';
import path from 'node:path';
import { LOG_LEVELS, type LogEntry, type LogLevelName, type LogQueryResult } from '../../../shared/logs';
import { LOG_FILE } from './logger';

export interface LogQuery {
  level?: LogLevelName;
  scope?: string;
  text?: string;
  limit?: number;
}

const CHUNK_BYTES = 256 * 1024;

export function queryLogs(dir: string, query: LogQuery): LogQueryResult {
  const limit = query.limit ?? 200;
  const maxRank = LOG_LEVELS.indexOf(query.level ?? 'debug');
  const text = query.text?.toLowerCase();
  const entries: LogEntry[] = [];
  for (const file of logFilesNewestFirst(dir)) {
    for (const line of linesBackwards(file)) {
      const entry = parseLine(line);
      if (!entry || LOG_LEVELS.indexOf(entry.level) > maxRank) continue;
      if (query.scope && entry.scope !== query.scope) continue;
      if (text && !line.toLowerCase().includes(text)) continue;
      if (entries.length === limit) return { entries, more: true, folder: dir };
      entries.push(entry);
    }
  }
  return { entries, more: false, folder: dir };
}

/** noctis.log, then noctis.1.log, noctis.2.log… (rotation renames older files upwards). */
function logFilesNewestFirst(dir: string): string[] {
  const { name, ext } = path.parse(LOG_FILE);
  const numbered = fs
    .readdirSync(dir)
    .map((f) => new RegExp(`^${name}\\.(\\d+)\\${ext}$`).exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => path.join(dir, m[0]));
  return [path.join(dir, LOG_FILE), ...numbered].filter((f) => fs.existsSync(f));
}

function* linesBackwards(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    let position = fs.fstatSync(fd).size;
    let carry = Buffer.alloc(0);
    while (position > 0) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      fs.readSync(fd, chunk, 0, length, position);
      // Split on bytes, not characters: a chunk boundary may cut a UTF-8 sequence.
      const buffer = Buffer.concat([chunk, carry]);
      let end = buffer.length;
      for (let i = buffer.length - 1; i >= 0; i--) {
        if (buffer[i] !== 0x0a) continue;
        if (end > i + 1) yield buffer.toString('utf8', i + 1, end);
        end = i;
      }
      carry = buffer.subarray(0, end);
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function parseLine(line: string): LogEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { time, level, scope, message, ...context } = value as Record<string, unknown>;
  if (typeof time !== 'string' || typeof message !== 'string' || !LOG_LEVELS.includes(level as LogLevelName)) return undefined;
  return { time, level: level as LogLevelName, scope: typeof scope === 'string' ? scope : '', message, context };
}
