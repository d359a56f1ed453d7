import fs from 'node:fs';
import path from 'node:path';
import electronLog from 'electron-log/node';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogContext = Record<string, unknown>;

/** Structured logging: one JSON object per line, with a scope and a context. */
export interface Logger {
  error(event: string, context?: LogContext): void;
  warn(event: string, context?: LogContext): void;
  info(event: string, context?: LogContext): void;
  debug(event: string, context?: LogContext): void;
  scope(name: string): Logger;
}

export interface LoggerOptions {
  /** Folder of the log files (`<dataDir>/logs`). */
  dir: string;
  /** Human-readable lines on stderr from this level up; false for none. */
  consoleLevel?: LogLevel | false;
  maxSizeBytes?: number;
  keepFiles?: number;
}

export const LOG_FILE = 'noctis.log';

let loggerCount = 0;

export function createLogger(options: LoggerOptions): Logger {
  const { dir, consoleLevel = false, maxSizeBytes = 50 * 1024 ** 2, keepFiles = 10 } = options;
  fs.mkdirSync(dir, { recursive: true });
  const log = electronLog.create({ logId: `noctis-${process.pid}-${++loggerCount}` });

  const file = log.transports.file;
  file.resolvePathFn = () => path.join(dir, LOG_FILE);
  file.maxSize = maxSizeBytes;
  file.level = 'debug';
  file.transforms = [({ data, message }) => toJsonLine(message.level, data, message.date)];
  file.archiveLogFn = (current) => rotate(current.path, keepFiles);

  const consoleTransport = log.transports.console;
  consoleTransport.level = consoleLevel;
  const colour = process.stderr.isTTY === true && !process.env.NO_COLOR;
  consoleTransport.writeFn = ({ message }) => {
    const [event, context] = message.data as [string, LogContext | undefined];
    process.stderr.write(`${consoleLine(message.level, event, context, message.date, colour)}\n`);
  };

  const make = (scopeName: string): Logger => {
    const write = (level: LogLevel) => (event: string, context?: LogContext) =>
      log[level](event, { scope: scopeName, ...context });
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      scope: (name) => make(name),
    };
  };
  return make('core');
}

const ANSI: Record<string, string> = { error: '31', warn: '33', info: '36', debug: '90' };

/** Development console: `12:03:04.567 warn  import  import.stopped {…}`, coloured on a terminal. */
export function consoleLine(level: string, event: string, context: LogContext | undefined, date: Date, colour: boolean): string {
  const { scope, ...rest } = context ?? {};
  const time = date.toISOString().slice(11, 23);
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest, errorReplacer)}` : '';
  const head = `${time} ${level.padEnd(5)} ${(typeof scope === 'string' ? scope : '').padEnd(7)}`;
  return colour ? `\x1b[${ANSI[level] ?? '0'}m${head}\x1b[0m ${event}${extra}` : `${head} ${event}${extra}`;
}

function toJsonLine(level: string, data: unknown[], date: Date): string {
  const [event, context] = data as [unknown, LogContext | undefined];
  const { scope, ...rest } = context ?? {};
  return JSON.stringify({ time: date.toISOString(), level, scope, message: String(event), ...rest }, errorReplacer);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}

/** noctis.log → noctis.1.log → … → noctis.(keep-1).log; the oldest is dropped. */
function rotate(current: string, keepFiles: number): void {
  const { dir, name, ext } = path.parse(current);
  const numbered = (n: number) => path.join(dir, `${name}.${n}${ext}`);
  fs.rmSync(numbered(keepFiles - 1), { force: true });
  for (let n = keepFiles - 2; n >= 1; n--) {
    if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
  }
  fs.renameSync(current, numbered(1));
}
