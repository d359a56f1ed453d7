// Benchmark of the import engine (not a test): drives the built CLI and `noctis serve` the way a
// user does and prints figures, and ratios against a baseline measured in the same run.
//
//   npm run build:main && npm run bench:import [-- --repeat 3 --small 20000 --skip-small
//                                               --corpus DIR --json FILE]
//
// 1. baseline `cp -r CORPUS DEST && sync`, 2. first import into an empty store (+ sync),
// 3. re-import into the filled store (all duplicates), interleaved `--repeat` times, medians;
// 4. a DICOMDIR disc (dcmmkdir) into a fresh store; 5. peak RSS of first imports of 2,000 and
// `--small` tiny files; 6. `studies.search` round trips over the WebSocket API while `serve`
// imports the `--small` set. Generated corpora are cached under os.tmpdir() between runs; the
// stores and copies made here are removed at the end.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { WebSocket, type RawData } from 'ws';
import type { ImportReport } from '../../shared/import';
import { writeCdExport } from '../fixtures/cd';
import type { StudySpec } from '../fixtures/generate';
import { makeBenchCorpus, makeSmallFiles, type CorpusCounts } from './corpus';

const REPO = path.resolve(__dirname, '../..');
/** The `noctis` command (package.json "bin"): it runs the bundle dist/cli.js. */
const NOCTIS_BIN = path.join(REPO, 'electron/cli/bin.cjs');
const CACHE_DIR = path.join(os.tmpdir(), 'noctis-bench-corpus-v1');
const CACHE_VERSION = 1;
const RSS_POLL_MS = 50;
const SEARCH_PAUSE_MS = 20;
const MB = 1e6;

const TARGETS = {
  importBaselineRatio: 1.5,
  reimportFilesPerSecond: 5000,
  peakRssMiB: 300,
  /** "Flat": the 20,000-file import may use at most this much more than the 2,000-file one. */
  rssFlatRatio: 1.25,
  searchP95Ms: 50,
};

const TRANSFER_SYNTAXES: Record<string, string> = {
  '1.2.840.10008.1.2': 'implicit VR LE',
  '1.2.840.10008.1.2.1': 'explicit VR LE',
  '1.2.840.10008.1.2.2': 'explicit VR BE',
  '1.2.840.10008.1.2.1.99': 'deflated',
  '1.2.840.10008.1.2.4.50': 'JPEG baseline',
  '1.2.840.10008.1.2.4.57': 'JPEG lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.5': 'RLE',
};

// ---------------------------------------------------------------------------------------------
// Options, logging, cleanup

interface Options {
  corpus?: string;
  small: number;
  repeat: number;
  skipSmall: boolean;
  json?: string;
  /** Pause between deleting the previous outputs (and syncing) and the next timing. */
  settleMs: number;
}

const USAGE = `Usage: npm run bench:import -- [options]
  --corpus DIR   import this folder instead of the generated mixed corpus (2,000 files, 520 MB)
  --small N      tiny files for the memory and API latency parts (default 20000)
  --repeat N     repetitions of the timed imports (default 3); medians are reported
  --skip-small   skip the --small set (memory: 2,000 files only; latency: on the 2,000 files)
  --json FILE    also write every figure as JSON
  --settle S     seconds to wait after deleting the previous outputs and syncing (default 3); the
                 last second must see no device writes or discards (waits at most 10 s more for one)
Needs a built CLI (npm run build:main) and dcmtk (dcmmkdir, dcmconv…) for the corpora.
`;

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string' },
      small: { type: 'string', default: '20000' },
      repeat: { type: 'string', default: '3' },
      'skip-small': { type: 'boolean', default: false },
      json: { type: 'string' },
      settle: { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const small = Number(values.small);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(small) || small < 1) throw new Error(`--small: not a positive integer: ${values.small}`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: not a positive integer: ${values.repeat}`);
  const settle = Number(values.settle);
  if (!Number.isFinite(settle) || settle < 0) throw new Error(`--settle: not a number of seconds: ${values.settle}`);
  return {
    corpus: values.corpus === undefined ? undefined : path.resolve(values.corpus),
    small,
    repeat,
    skipSmall: values['skip-small'],
    json: values.json === undefined ? undefined : path.resolve(values.json),
    settleMs: settle * 1000,
  };
}

const benchStart = performance.now();

function log(message: string): void {
  const seconds = ((performance.now() - benchStart) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${seconds} s] ${message}\n`);
}

/** Children still running, so that an interrupted run stops exactly those. */
const children = new Set<ChildProcess>();
let workDir: string | undefined;
let settleMs = 3000;

function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

// ---------------------------------------------------------------------------------------------
// Measuring child processes: wall time from spawn to exit, peak RSS from /proc/<pid>/status

interface Measured {
  wallMs: number;
  /** Largest VmHWM seen: of the process itself, or of any process of its tree with `tree`. */
  peakRssKb: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Started {
  child: ChildProcess;
  done: Promise<Measured>;
}

function readHwmKb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // gone, or a zombie
  }
}

/** The process and its descendants (this kernel has no /proc/<pid>/task/<tid>/children). */
function processTree(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = byParent.get(ppid) ?? [];
    list.push(Number(name));
    byParent.set(ppid, list);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(byParent.get(tree[i]) ?? []));
  return tree;
}

interface StartOptions {
  tree?: boolean;
  env?: NodeJS.ProcessEnv;
}

function start(command: string, args: string[], options: StartOptions = {}): Started {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  children.add(child);
  let peakRssKb = 0;
  const poll = () => {
    if (child.pid === undefined) return;
    for (const pid of options.tree ? processTree(child.pid) : [child.pid]) peakRssKb = Math.max(peakRssKb, readHwmKb(pid));
  };
  poll();
  const timer = setInterval(poll, RSS_POLL_MS);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let wallMs = 0;
  child.once('exit', () => {
    wallMs = performance.now() - started;
    clearInterval(timer);
  });
  const done = new Promise<Measured>((resolve, reject) => {
    child.once('error', (error) => {
      clearInterval(timer);
      children.delete(child);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      children.delete(child);
      resolve({ wallMs, peakRssKb, exitCode, signal, stdout, stderr });
    });
  });
  return { child, done };
}

function measure(command: string, args: string[], options: StartOptions = {}): Promise<Measured> {
  return start(command, args, options).done;
}

function noctis(...args: string[]): Promise<Measured> {
  return measure(process.execPath, [NOCTIS_BIN, ...args]);
}

function syncAll(): number {
  const t = performance.now();
  execFileSync('sync');
  return performance.now() - t;
}

/** The block device under os.tmpdir(), as /proc/diskstats names it (unknown: no device figures). */
let diskName: string | undefined;

interface DiskCounters {
  writtenBytes: number;
  discardedBytes: number;
}

/** Bytes the device has written and discarded since boot (diskstats counts 512-byte sectors). */
function diskCounters(): DiskCounters | undefined {
  if (!diskName) return undefined;
  const fields = fs
    .readFileSync('/proc/diskstats', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((f) => f[2] === diskName);
  return fields && { writtenBytes: Number(fields[9]) * 512, discardedBytes: Number(fields[16] ?? 0) * 512 };
}

/** What the device wrote and discarded since `before`: the run's own I/O plus any background flushing. */
function diskDelta(before: DiskCounters | undefined): { writtenMB: number; discardedMB: number } | undefined {
  const after = diskCounters();
  if (!before || !after) return undefined;
  return { writtenMB: (after.writtenBytes - before.writtenBytes) / MB, discardedMB: (after.discardedBytes - before.discardedBytes) / MB };
}

function diskText(delta: { writtenMB: number; discardedMB: number } | undefined): string {
  return delta ? `; device wrote ${delta.writtenMB.toFixed(0)} MB, discarded ${delta.discardedMB.toFixed(0)} MB` : '';
}

/** At most this long beyond --settle for the device to go quiet. */
const MAX_QUIET_WAIT_MS = 10_000;

/**
 * Deletes the previous outputs, syncs, and lets the disc settle before the next timing: `--settle`
 * seconds, the last of which must be free of device writes and discards (this VM's disk flushes
 * and discards in bursts long after a sync), waiting at most 10 s more for such a quiet second.
 */
async function settle(...paths: string[]): Promise<void> {
  const t = performance.now();
  for (const p of paths) fs.rmSync(p, { recursive: true, force: true });
  syncAll();
  const cleanMs = performance.now() - t;
  const quietMs = Math.min(1000, settleMs);
  await sleep(settleMs - quietMs);
  const waitStart = performance.now();
  let last = diskCounters();
  let quietSince = performance.now();
  while (last && performance.now() - waitStart < quietMs + MAX_QUIET_WAIT_MS) {
    await sleep(100);
    const now = diskCounters();
    if (!now) break;
    if (now.writtenBytes !== last.writtenBytes || now.discardedBytes !== last.discardedBytes) quietSince = performance.now();
    else if (performance.now() - quietSince >= quietMs) break;
    last = now;
  }
  if (!last) await sleep(quietMs);
  const extraMs = performance.now() - waitStart - quietMs;
  const notes = [
    ...(cleanMs > 1000 ? [`deleting the previous outputs and syncing took ${(cleanMs / 1000).toFixed(1)} s`] : []),
    ...(extraMs > 500 ? [`waited ${(extraMs / 1000).toFixed(1)} s more for the device to go quiet`] : []),
  ];
  if (notes.length > 0) log(`  (${notes.join('; ')})`);
}

function parseReport(run: Measured, what: string): ImportReport {
  if (run.exitCode !== 0) {
    throw new Error(`${what}: noctis exited with ${run.exitCode ?? run.signal}\n${run.stdout}\n${run.stderr}`);
  }
  try {
    return JSON.parse(run.stdout) as ImportReport;
  } catch {
    throw new Error(`${what}: no JSON report on stdout:\n${run.stdout.slice(0, 2000)}\n${run.stderr}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Corpora, cached under os.tmpdir()

interface Corpus {
  name: string;
  dir: string;
  files: number;
  bytes: number;
  studies?: number;
  series?: number;
  /** Set when it was generated in this run. */
  generatedMs?: number;
  cached: boolean;
}

interface Marker {
  version: number;
  key: unknown;
  counts: { files: number; bytes: number; studies?: number; series?: number };
  generatedMs: number;
  createdAt: string;
}

/**
 * The corpus `name` from the cache, or made now by `make` into a scratch folder that is renamed
 * into place, with a marker file beside it (not inside: it would be imported) holding its counts.
 */
function cachedCorpus(name: string, key: unknown, make: (dir: string) => Marker['counts']): Corpus {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const dir = path.join(CACHE_DIR, name);
  const markerFile = path.join(CACHE_DIR, `${name}.json`);
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    if (marker.version === CACHE_VERSION && JSON.stringify(marker.key) === JSON.stringify(key) && fs.existsSync(dir)) {
      return { name, dir, ...marker.counts, cached: true };
    }
  } catch {
    // no marker, or an unreadable one: make the corpus again
  }
  log(`  generating ${name} into ${dir} …`);
  const scratch = `${dir}.partial`;
  fs.rmSync(markerFile, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
  const t = performance.now();
  const counts = make(scratch);
  fs.renameSync(scratch, dir);
  const generatedMs = performance.now() - t;
  const marker: Marker = { version: CACHE_VERSION, key, counts, generatedMs, createdAt: new Date().toISOString() };
  fs.writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
  log(`  generated ${name}: ${counts.files} files, ${(counts.bytes / MB).toFixed(1)} MB in ${(generatedMs / 1000).toFixed(1)} s`);
  return { name, dir, ...counts, generatedMs, cached: false };
}

function pick(counts: CorpusCounts): Marker['counts'] {
  return { files: counts.files, bytes: counts.bytes, studies: counts.studies, series: counts.series };
}

function mixedCorpus(): Corpus {
  const options = { files: 2000, targetBytes: 520e6, syntaxes: true };
  return cachedCorpus('mixed-2000-520MB', options, (dir) => pick(makeBenchCorpus(dir, options)));
}

function smallCorpus(files: number): Corpus {
  return cachedCorpus(`small-${files}`, { files }, (dir) => pick(makeSmallFiles(dir, files)));
}

/** A patient CD: 600 files in four studies (two CT of 2 x 75 512x512 slices, two MR of 3 x 50 256x256). */
function cdCorpus(): Corpus {
  const ct = (patientId: string, patientName: string, description: string): StudySpec => ({
    patientId,
    patientName,
    modality: 'CT',
    studyDescription: description,
    accessionNumber: `CD${patientId}CT`,
    rows: 512,
    columns: 512,
    seriesCount: 2,
    slicesPerSeries: 75,
  });
  const mr = (patientId: string, patientName: string): StudySpec => ({
    patientId,
    patientName,
    modality: 'MR',
    studyDescription: 'MR BRAIN',
    accessionNumber: `CD${patientId}MR`,
    rows: 256,
    columns: 256,
    seriesCount: 3,
    slicesPerSeries: 50,
  });
  const specs = [
    ct('CD0001', 'DISC^ANNA', 'CT CHEST'),
    mr('CD0001', 'DISC^ANNA'),
    ct('CD0002', 'DISC^BORIS', 'CT ABDOMEN'),
    mr('CD0003', 'DISC^CARLA'),
  ];
  return cachedCorpus('cd-600', { version: 1, specs }, (dir) => {
    const cd = writeCdExport(dir, specs);
    return {
      files: cd.instances.length,
      bytes: cd.instances.reduce((sum, i) => sum + i.bytes, 0),
      studies: cd.studies.length,
      series: cd.studies.reduce((sum, s) => sum + s.seriesInstanceUids.length, 0),
    };
  });
}

/** A folder given with --corpus: every regular file under it. */
function existingCorpus(dir: string): Corpus {
  if (!fs.statSync(dir).isDirectory()) throw new Error(`--corpus: not a folder: ${dir}`);
  let files = 0;
  let bytes = 0;
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files++;
        bytes += fs.statSync(full).size;
      }
    }
  };
  walk(dir);
  return { name: path.basename(dir), dir, files, bytes, cached: true };
}

/** Reads every file once so that the first timed run does not pay for a cold page cache alone. */
function warm(corpus: Corpus): void {
  execFileSync('bash', ['-c', 'find "$1" -type f -print0 | xargs -0 -r cat > /dev/null', 'warm', corpus.dir]);
}

// ---------------------------------------------------------------------------------------------
// Statistics and the table

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Row {
  label: string;
  value?: string;
  /** Every repetition, or min–max. */
  spread?: string;
  target?: string;
  pass?: boolean;
}

const rows: Row[] = [];
const section = (label: string) => rows.push({ label });
const row = (r: Row) => rows.push(r);

const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  ms: (ms: number) => `${ms.toFixed(1)} ms`,
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  fps: (n: number) => `${Math.round(n).toLocaleString('en-US')} files/s`,
  mbps: (n: number) => `${n.toFixed(1)} MB/s`,
  mib: (kb: number) => `${(kb / 1024).toFixed(1)} MiB`,
  ratio: (n: number) => n.toFixed(2),
  list: (values: number[], f: (n: number) => string) => values.map(f).join(' / '),
};

function printTable(): string {
  const widths = { label: 0, value: 0, spread: 0, target: 0 };
  for (const r of rows) {
    if (r.value === undefined) continue;
    widths.label = Math.max(widths.label, r.label.length);
    widths.value = Math.max(widths.value, r.value.length);
    widths.spread = Math.max(widths.spread, (r.spread ?? '').length);
    widths.target = Math.max(widths.target, (r.target ?? '').length);
  }
  const lines: string[] = [];
  const header = `  ${'measure'.padEnd(widths.label)}  ${'median'.padStart(widths.value)}  ${'runs'.padEnd(widths.spread)}  ${'target'.padEnd(widths.target)}  result`;
  lines.push(header, `  ${'-'.repeat(header.length - 2)}`);
  for (const r of rows) {
    if (r.value === undefined) {
      lines.push(r.label);
      continue;
    }
    const result = r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS';
    lines.push(
      `  ${r.label.padEnd(widths.label)}  ${r.value.padStart(widths.value)}  ${(r.spread ?? '').padEnd(widths.spread)}  ${(r.target ?? '').padEnd(widths.target)}  ${result}`.trimEnd(),
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The WebSocket API of `noctis serve`

interface ServerMessage {
  id?: number;
  reply?: { ok: boolean; result?: unknown; error?: { code: string; message: string } };
  event?: string;
  data?: unknown;
}

class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: NonNullable<ServerMessage['reply']>) => void>();
  private readonly listeners: Array<(event: string, data: unknown) => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw: RawData) => {
      const message = JSON.parse(rawText(raw)) as ServerMessage;
      if (message.id !== undefined && message.reply) {
        this.pending.get(message.id)?.(message.reply);
        this.pending.delete(message.id);
      } else if (message.event) {
        for (const listener of this.listeners) listener(message.event, message.data);
      }
    });
  }

  static connect(url: URL): Promise<ApiClient> {
    const token = url.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${url.host}/api`, { headers: { cookie: `noctis_token=${token}`, origin: url.origin } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ApiClient(ws)));
      ws.once('error', reject);
    });
  }

  onEvent(listener: (event: string, data: unknown) => void): void {
    this.listeners.push(listener);
  }

  /** The result, and the round trip in ms. */
  async call<T>(channel: string, payload: unknown): Promise<{ result: T; ms: number }> {
    const id = this.nextId++;
    const t = performance.now();
    const reply = await new Promise<NonNullable<ServerMessage['reply']>>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
    const ms = performance.now() - t;
    if (!reply.ok) throw new Error(`${channel}: ${reply.error?.code ?? '?'} ${reply.error?.message ?? ''}`);
    return { result: reply.result as T, ms };
  }

  close(): void {
    this.ws.close();
  }
}

function rawText(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}

/** The first line a child prints on stdout. */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(text.slice(0, newline).trim());
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing its URL`)));
  });
}

// ---------------------------------------------------------------------------------------------
// The steps

function machineFacts() {
  let filesystem = '';
  let device: string | undefined;
  try {
    filesystem = execFileSync('findmnt', ['-no', 'SOURCE,FSTYPE,OPTIONS', '-T', os.tmpdir()], { encoding: 'utf8' }).trim();
    const source = filesystem.split(/\s+/)[0];
    if (source.startsWith('/dev/')) device = path.basename(fs.realpathSync(source));
  } catch {
    // findmnt missing, or no block device: leave them out
  }
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? '?',
    node: process.version,
    totalRamGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
    tmpdir: os.tmpdir(),
    filesystem,
    device,
  };
}

type DeviceIo = ReturnType<typeof diskDelta>;

interface FolderResults {
  /** cpMs and syncMs: the two halves, from bash's clock. */
  baseline: Array<{ wallMs: number; cpMs: number; syncMs: number; peakRssKb: number; device?: DeviceIo }>;
  imports: Array<{ wallMs: number; importMs: number; syncMs: number; reportMs: number; peakRssKb: number; imported: number; invalid: number; device?: DeviceIo }>;
  reimports: Array<{ wallMs: number; reportMs: number; reportFilesPerSecond: number; peakRssKb: number; duplicates: number; totalFiles: number }>;
  syntaxes: Record<string, number>;
  modalities: string[];
  warnings: string[];
}

/** `cp -r SRC DEST && sync`, printing bash's clock at the start, between the two and at the end. */
const BASELINE_SCRIPT = 's=$EPOCHREALTIME; cp -r -- "$1" "$2" || exit 1; c=$EPOCHREALTIME; sync; e=$EPOCHREALTIME; echo "$s $c $e"';

/** Steps 1–3: cp -r && sync, first import (+ sync), re-import; interleaved, `repeat` times. */
async function folderImports(corpus: Corpus, repeat: number, work: string): Promise<FolderResults> {
  const copy = path.join(work, 'copy');
  const store = path.join(work, 'store-folder');
  const out: FolderResults = { baseline: [], imports: [], reimports: [], syntaxes: {}, modalities: [], warnings: [] };
  for (let r = 1; r <= repeat; r++) {
    log(`[1] baseline ${r}/${repeat}: cp -r ${corpus.dir} && sync`);
    await settle(copy, store);
    const baseIo = diskCounters();
    const base = await measure('bash', ['-c', BASELINE_SCRIPT, 'baseline', corpus.dir, copy], { tree: true, env: { ...process.env, LC_ALL: 'C' } });
    if (base.exitCode !== 0) throw new Error(`cp -r failed: ${base.stderr}`);
    const [s, c, e] = base.stdout.trim().split(/\s+/).map(Number);
    const baseDevice = diskDelta(baseIo);
    out.baseline.push({ wallMs: base.wallMs, cpMs: (c - s) * 1000, syncMs: (e - c) * 1000, peakRssKb: base.peakRssKb, device: baseDevice });
    log(`    ${fmt.s(base.wallMs)} (cp ${fmt.s((c - s) * 1000)}, sync ${fmt.s((e - c) * 1000)})${diskText(baseDevice)}`);

    log(`[2] first import ${r}/${repeat}: noctis import ${corpus.dir} into an empty store, then sync`);
    await settle(copy, store);
    const importIo = diskCounters();
    const t = performance.now();
    const run = await noctis('import', corpus.dir, '--data-dir', store, '--json');
    const syncMs = syncAll();
    const wallMs = performance.now() - t;
    const importDevice = diskDelta(importIo);
    const report = parseReport(run, 'first import');
    out.imports.push({
      wallMs,
      importMs: run.wallMs,
      syncMs,
      reportMs: report.durationMs,
      peakRssKb: run.peakRssKb,
      imported: report.imported,
      invalid: report.invalid,
      device: importDevice,
    });
    log(`    ${fmt.s(wallMs)} (import ${fmt.s(run.wallMs)}, report ${fmt.s(report.durationMs)}, sync ${fmt.s(syncMs)}), peak RSS ${fmt.mib(run.peakRssKb)}; ` +
      `${report.imported} imported, ${report.duplicates} duplicates, ${report.invalid} invalid${diskText(importDevice)}`);
    if (report.imported !== corpus.files || report.totalFiles !== corpus.files) {
      out.warnings.push(`first import ${r}: ${report.totalFiles} files seen, ${report.imported} imported, ${corpus.files} in the corpus`);
    }

    log(`[3] re-import ${r}/${repeat}: the same folder into the filled store`);
    syncAll();
    const again = await noctis('import', corpus.dir, '--data-dir', store, '--json');
    const second = parseReport(again, 're-import');
    out.reimports.push({
      wallMs: again.wallMs,
      reportMs: second.durationMs,
      reportFilesPerSecond: second.filesPerSecond,
      peakRssKb: again.peakRssKb,
      duplicates: second.duplicates,
      totalFiles: second.totalFiles,
    });
    log(`    ${fmt.s(again.wallMs)} (report ${fmt.s(second.durationMs)}, ${fmt.fps(second.filesPerSecond)}); ${second.duplicates} of ${second.totalFiles} duplicates`);
    if (second.duplicates !== second.totalFiles) out.warnings.push(`re-import ${r}: only ${second.duplicates} of ${second.totalFiles} files were duplicates`);

    if (r === 1) {
      out.modalities = report.modalities;
      const listing = await noctis('instances', '--data-dir', store, '--json');
      for (const i of JSON.parse(listing.stdout) as Array<{ transferSyntaxUid: string }>) {
        const name = TRANSFER_SYNTAXES[i.transferSyntaxUid] ?? i.transferSyntaxUid;
        out.syntaxes[name] = (out.syntaxes[name] ?? 0) + 1;
      }
    }
  }
  await settle(copy, store);
  return out;
}

interface CdResults {
  runs: Array<{ wallMs: number; importMs: number; reportMs: number; peakRssKb: number; source: string; totalFiles: number; imported: number; device?: DeviceIo }>;
  notes: string[];
}

/** Step 4: the disc, through its DICOMDIR, into a fresh store (+ sync), `repeat` times. */
async function dicomdirImports(cd: Corpus, repeat: number, work: string): Promise<CdResults> {
  const store = path.join(work, 'store-cd');
  const out: CdResults = { runs: [], notes: [] };
  for (let r = 1; r <= repeat; r++) {
    log(`[4] DICOMDIR import ${r}/${repeat}: noctis import ${cd.dir} into an empty store, then sync`);
    await settle(store);
    const io = diskCounters();
    const t = performance.now();
    const run = await noctis('import', cd.dir, '--data-dir', store, '--json');
    syncAll();
    const wallMs = performance.now() - t;
    const device = diskDelta(io);
    const report = parseReport(run, 'DICOMDIR import');
    out.runs.push({ wallMs, importMs: run.wallMs, reportMs: report.durationMs, peakRssKb: run.peakRssKb, source: report.source, totalFiles: report.totalFiles, imported: report.imported, device });
    out.notes = report.notes;
    log(`    ${fmt.s(wallMs)} (report ${fmt.s(report.durationMs)}), source ${report.source}, ${report.imported} of ${report.totalFiles} imported${diskText(device)}`);
  }
  await settle(store);
  return out;
}

interface SmallResults {
  files: number;
  runs: Array<{ wallMs: number; reportMs: number; peakRssKb: number; imported: number; device?: DeviceIo }>;
}

/** Step 5: peak RSS of a first import of a folder of tiny files, `repeat` times. */
async function smallImports(corpus: Corpus, repeat: number, work: string): Promise<SmallResults> {
  const store = path.join(work, `store-small-${corpus.files}`);
  const out: SmallResults = { files: corpus.files, runs: [] };
  for (let r = 1; r <= repeat; r++) {
    log(`[5] memory ${r}/${repeat}: first import of ${fmt.int(corpus.files)} small files`);
    await settle(store);
    const io = diskCounters();
    const run = await noctis('import', corpus.dir, '--data-dir', store, '--json');
    const device = diskDelta(io);
    const report = parseReport(run, 'small-file import');
    out.runs.push({ wallMs: run.wallMs, reportMs: report.durationMs, peakRssKb: run.peakRssKb, imported: report.imported, device });
    log(`    ${fmt.s(run.wallMs)} (${fmt.fps(report.filesPerSecond)}), peak RSS ${fmt.mib(run.peakRssKb)}, ${report.imported} imported${diskText(device)}`);
  }
  await settle(store);
  return out;
}

interface LatencyResults {
  files: number;
  idleMs: number[];
  /** After the import, on the filled store. */
  idleAfterMs: number[];
  samples: Array<{ atMs: number; ms: number }>;
  report: ImportReport;
  progressEvents: number;
  maxProgressGapMs: number;
  studiesAfter: number;
  servePeakRssKb: number;
}

/** Step 6: `studies.search` round trips while `serve` imports the small set. */
async function apiLatency(corpus: Corpus, work: string): Promise<LatencyResults> {
  const store = path.join(work, 'store-serve');
  await settle(store);
  log(`[6] API latency: noctis serve on an empty store, import.start of ${fmt.int(corpus.files)} files, studies.search {limit: 50} in a loop`);
  // Every call needs a signed-in user who may import and view: a technologist made here.
  const password = 'a long enough passphrase';
  execFileSync(
    process.execPath,
    [NOCTIS_BIN, 'users', 'add', '--data-dir', store, '--username', 'tech', '--role', 'technologist', '--facility', 'Bench', '--license', 'T-1', '--keep-password'],
    { input: `${password}\n`, stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const serve = start(process.execPath, [NOCTIS_BIN, 'serve', '--data-dir', store]);
  let client: ApiClient | undefined;
  try {
    const url = new URL(await firstLine(serve.child, 30_000));
    client = await ApiClient.connect(url);
    const api = client;
    await api.call('auth.login', { username: 'tech', password });
    const search = () => api.call<{ studies: unknown[]; total: number }>('studies.search', { limit: 50 });

    const idleMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      idleMs.push((await search()).ms);
      await sleep(SEARCH_PAUSE_MS);
    }

    const finished = new Map<string, ImportReport>();
    let progressEvents = 0;
    let lastProgress: number | undefined;
    let maxProgressGapMs = 0;
    api.onEvent((event, data) => {
      if (event === 'import.finished') {
        const report = data as ImportReport;
        finished.set(report.jobId, report);
      } else if (event === 'import.progress') {
        const now = performance.now();
        if (lastProgress !== undefined) maxProgressGapMs = Math.max(maxProgressGapMs, now - lastProgress);
        lastProgress = now;
        progressEvents++;
      }
    });

    const t0 = performance.now();
    const { result } = await api.call<{ jobId: string }>('import.start', { paths: [corpus.dir] });
    const samples: Array<{ atMs: number; ms: number }> = [];
    const deadline = t0 + 15 * 60_000;
    while (!finished.has(result.jobId)) {
      if (performance.now() > deadline) throw new Error('the import did not finish within 15 minutes');
      const atMs = performance.now() - t0;
      samples.push({ atMs, ms: (await search()).ms });
      await sleep(SEARCH_PAUSE_MS);
    }
    const report = finished.get(result.jobId)!;
    const studiesAfter = (await search()).result.total;
    const idleAfterMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      idleAfterMs.push((await search()).ms);
      await sleep(SEARCH_PAUSE_MS);
    }
    log(`    ${samples.length} round trips during ${fmt.s(performance.now() - t0)}; import ${fmt.s(report.durationMs)}, ${report.imported} imported`);
    client.close();
    client = undefined;
    serve.child.kill('SIGTERM');
    const stopped = await Promise.race([serve.done, sleep(15_000).then(() => undefined)]);
    if (!stopped) {
      serve.child.kill('SIGKILL');
      throw new Error('noctis serve did not stop within 15 s of SIGTERM');
    }
    return { files: corpus.files, idleMs, idleAfterMs, samples, report, progressEvents, maxProgressGapMs, studiesAfter, servePeakRssKb: stopped.peakRssKb };
  } finally {
    client?.close();
    if (serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL');
      await serve.done.catch(() => undefined);
    }
    await settle(store);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  for (const file of ['dist/cli.js', 'dist/importWorker.js']) {
    if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing: run npm run build:main first`);
  }
  settleMs = options.settleMs;
  const machine = machineFacts();
  diskName = machine.device;
  log(`Noctis import benchmark: ${machine.cores} cores (${machine.cpu}), ${machine.totalRamGiB} GiB RAM, Node ${machine.node}, ${machine.kernel}`);
  log(`  temp filesystem: ${machine.filesystem || machine.tmpdir}; CLI: ${path.relative(REPO, NOCTIS_BIN)} → dist/cli.js built ${fs.statSync(path.join(REPO, 'dist/cli.js')).mtime.toISOString()}`);
  log(`  options: repeat ${options.repeat}, small ${options.small}${options.skipSmall ? ' (skipped)' : ''}, corpus ${options.corpus ?? 'generated'}, settle ${settleMs / 1000} s`);

  log(`[0] corpora (cache: ${CACHE_DIR})`);
  const folder = options.corpus ? existingCorpus(options.corpus) : mixedCorpus();
  const cd = cdCorpus();
  const small2k = smallCorpus(2000);
  const smallN = options.skipSmall ? undefined : smallCorpus(options.small);
  const corpora = [folder, cd, small2k, ...(smallN ? [smallN] : [])];
  for (const c of corpora) {
    log(`  ${c.name}: ${fmt.int(c.files)} files, ${(c.bytes / MB).toFixed(1)} MB${c.generatedMs === undefined ? ' (cached)' : `, generated in ${fmt.s(c.generatedMs)}`}`);
  }
  log('  reading every corpus once (page cache warm-up)');
  for (const c of corpora) warm(c);

  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-bench-run-'));
  const work = workDir;

  const folderResults = await folderImports(folder, options.repeat, work);
  const cdResults = await dicomdirImports(cd, options.repeat, work);
  const small2kResults = await smallImports(small2k, options.repeat, work);
  const smallNResults = smallN ? await smallImports(smallN, options.repeat, work) : undefined;
  const latency = await apiLatency(smallN ?? small2k, work);

  // ----- the table
  const baseMs = median(folderResults.baseline.map((b) => b.wallMs));
  const importMs = median(folderResults.imports.map((i) => i.wallMs));
  const ratio = importMs / baseMs;
  const pairRatios = folderResults.imports.map((i, k) => i.wallMs / folderResults.baseline[k].wallMs);
  const mbps = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
  const fps = (files: number, ms: number) => files / (ms / 1000);
  const reReport = median(folderResults.reimports.map((r) => r.reportFilesPerSecond));
  const reWall = median(folderResults.reimports.map((r) => fps(r.totalFiles, r.wallMs)));

  section(`Folder import: ${folder.name}, ${fmt.int(folder.files)} files, ${(folder.bytes / MB).toFixed(1)} MB (median of ${options.repeat}, runs in order)`);
  row({ label: 'baseline cp -r && sync: time', value: fmt.s(baseMs), spread: fmt.list(folderResults.baseline.map((b) => b.wallMs), fmt.s) });
  row({ label: '  of which cp -r', value: fmt.s(median(folderResults.baseline.map((b) => b.cpMs))), spread: fmt.list(folderResults.baseline.map((b) => b.cpMs), fmt.s) });
  row({ label: '  of which the sync', value: fmt.s(median(folderResults.baseline.map((b) => b.syncMs))), spread: fmt.list(folderResults.baseline.map((b) => b.syncMs), fmt.s) });
  row({ label: 'baseline: files/s', value: fmt.fps(fps(folder.files, baseMs)) });
  row({ label: 'baseline: MB/s', value: fmt.mbps(mbps(folder.bytes, baseMs)) });
  row({ label: 'first import + sync: time', value: fmt.s(importMs), spread: fmt.list(folderResults.imports.map((i) => i.wallMs), fmt.s) });
  row({ label: '  of which the import process (spawn to exit)', value: fmt.s(median(folderResults.imports.map((i) => i.importMs))), spread: fmt.list(folderResults.imports.map((i) => i.importMs), fmt.s) });
  row({ label: '  of which the report\'s durationMs', value: fmt.s(median(folderResults.imports.map((i) => i.reportMs))), spread: fmt.list(folderResults.imports.map((i) => i.reportMs), fmt.s) });
  row({ label: '  of which the final sync', value: fmt.s(median(folderResults.imports.map((i) => i.syncMs))), spread: fmt.list(folderResults.imports.map((i) => i.syncMs), fmt.s) });
  row({ label: 'first import: files/s', value: fmt.fps(fps(folder.files, importMs)) });
  row({ label: 'first import: MB/s', value: fmt.mbps(mbps(folder.bytes, importMs)) });
  row({ label: 'ratio import / baseline (of medians)', value: fmt.ratio(ratio), spread: `pairs: ${fmt.list(pairRatios, fmt.ratio)}`, target: `≤ ${TARGETS.importBaselineRatio}`, pass: ratio <= TARGETS.importBaselineRatio });
  row({ label: 'first import: peak RSS', value: fmt.mib(median(folderResults.imports.map((i) => i.peakRssKb))), spread: fmt.list(folderResults.imports.map((i) => i.peakRssKb), fmt.mib), target: `≤ ${TARGETS.peakRssMiB} MiB`, pass: median(folderResults.imports.map((i) => i.peakRssKb)) / 1024 <= TARGETS.peakRssMiB });
  row({ label: 're-import (all duplicates): files/s, report', value: fmt.fps(reReport), spread: fmt.list(folderResults.reimports.map((r) => r.reportFilesPerSecond), fmt.int), target: `≥ ${fmt.int(TARGETS.reimportFilesPerSecond)}`, pass: reReport >= TARGETS.reimportFilesPerSecond });
  row({ label: 're-import: files/s, wall (with node start-up)', value: fmt.fps(reWall), spread: fmt.list(folderResults.reimports.map((r) => r.wallMs), fmt.s), target: `≥ ${fmt.int(TARGETS.reimportFilesPerSecond)}`, pass: reWall >= TARGETS.reimportFilesPerSecond });

  const cdWall = median(cdResults.runs.map((r) => r.wallMs));
  const cdSource = cdResults.runs.every((r) => r.source === 'dicomdir');
  section(`DICOMDIR disc: ${fmt.int(cd.files)} files, ${(cd.bytes / MB).toFixed(1)} MB (import + sync, median of ${options.repeat})`);
  row({ label: 'import + sync: time', value: fmt.s(cdWall), spread: fmt.list(cdResults.runs.map((r) => r.wallMs), fmt.s) });
  row({ label: 'files/s', value: fmt.fps(fps(cd.files, cdWall)) });
  row({ label: 'MB/s', value: fmt.mbps(mbps(cd.bytes, cdWall)) });
  row({ label: 'report.source', value: cdResults.runs[0].source, target: 'dicomdir', pass: cdSource });
  row({ label: 'files imported / in the DICOMDIR', value: `${cdResults.runs[0].imported} / ${cd.files}`, target: `${cd.files} / ${cd.files}`, pass: cdResults.runs.every((r) => r.imported === cd.files && r.totalFiles === cd.files) });

  const rss2k = median(small2kResults.runs.map((r) => r.peakRssKb));
  section(`Memory: peak RSS (VmHWM) of a first import of small files (median of ${options.repeat})`);
  row({ label: `${fmt.int(small2k.files)} files: peak RSS`, value: fmt.mib(rss2k), spread: fmt.list(small2kResults.runs.map((r) => r.peakRssKb), fmt.mib), target: `≤ ${TARGETS.peakRssMiB} MiB`, pass: rss2k / 1024 <= TARGETS.peakRssMiB });
  row({ label: `${fmt.int(small2k.files)} files: files/s (report)`, value: fmt.fps(median(small2kResults.runs.map((r) => fps(r.imported, r.reportMs)))) });
  if (smallN && smallNResults) {
    const rssN = median(smallNResults.runs.map((r) => r.peakRssKb));
    row({ label: `${fmt.int(smallN.files)} files: peak RSS`, value: fmt.mib(rssN), spread: fmt.list(smallNResults.runs.map((r) => r.peakRssKb), fmt.mib), target: `≤ ${TARGETS.peakRssMiB} MiB`, pass: rssN / 1024 <= TARGETS.peakRssMiB });
    row({ label: `${fmt.int(smallN.files)} files: files/s (report)`, value: fmt.fps(median(smallNResults.runs.map((r) => fps(r.imported, r.reportMs)))) });
    row({ label: `ratio ${fmt.int(smallN.files)} / ${fmt.int(small2k.files)} files (flat)`, value: fmt.ratio(rssN / rss2k), target: `≤ ${TARGETS.rssFlatRatio}`, pass: rssN / rss2k <= TARGETS.rssFlatRatio });
  }

  const ms = latency.samples.map((s) => s.ms);
  const p95 = ms.length > 0 ? percentile(ms, 95) : NaN;
  section(`API latency: studies.search {limit: 50} over the WebSocket while serve imports ${fmt.int(latency.files)} small files${smallN ? '' : ' (--skip-small)'}`);
  row({ label: 'idle, empty store: p50 / max', value: `${fmt.ms(percentile(latency.idleMs, 50))} / ${fmt.ms(Math.max(...latency.idleMs))}` });
  row({ label: 'idle, after the import (filled store): p50 / max', value: `${fmt.ms(percentile(latency.idleAfterMs, 50))} / ${fmt.ms(Math.max(...latency.idleAfterMs))}` });
  row({ label: 'round trips during the import', value: fmt.int(ms.length) });
  row({ label: 'p50', value: ms.length ? fmt.ms(percentile(ms, 50)) : 'n/a' });
  row({ label: 'p95', value: ms.length ? fmt.ms(p95) : 'n/a', target: `≤ ${TARGETS.searchP95Ms} ms`, pass: p95 <= TARGETS.searchP95Ms });
  row({ label: 'max', value: ms.length ? fmt.ms(Math.max(...ms)) : 'n/a' });
  row({ label: 'import (finished report): time', value: fmt.s(latency.report.durationMs) });
  row({ label: 'import (finished report): files/s', value: fmt.fps(latency.report.filesPerSecond) });
  row({ label: 'imported / studies found afterwards', value: `${fmt.int(latency.report.imported)} / ${latency.studiesAfter}` });
  row({ label: 'longest gap between import.progress events', value: fmt.ms(latency.maxProgressGapMs), spread: `${latency.progressEvents} events` });
  row({ label: 'serve: peak RSS', value: fmt.mib(latency.servePeakRssKb) });

  const table = printTable();
  const slowest = [...latency.samples].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const syntaxes = Object.entries(folderResults.syntaxes).sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`).join(', ');
  const durationS = (performance.now() - benchStart) / 1000;

  process.stdout.write('\n');
  process.stdout.write(`Machine: ${machine.cores} cores (${machine.cpu}), ${machine.totalRamGiB} GiB RAM, Node ${machine.node}, ${machine.kernel}\n`);
  process.stdout.write(`Disk: ${machine.filesystem || machine.tmpdir} (stores, copies and corpora all under ${machine.tmpdir})\n`);
  process.stdout.write(`Corpus: ${folder.dir}: ${fmt.int(folder.files)} files, ${(folder.bytes / MB).toFixed(1)} MB` +
    `${folder.studies ? `, ${folder.studies} studies, ${folder.series} series` : ''}; modalities ${folderResults.modalities.join(', ') || '?'}\n`);
  process.stdout.write(`  transfer syntaxes (as indexed): ${syntaxes || '?'}\n`);
  process.stdout.write(`  DICOMDIR disc: ${cd.dir} (${cd.studies} studies, ${cd.series} series); small files: ${[small2k, smallN].filter((c) => c).map((c) => c!.dir).join(', ')}\n`);
  process.stdout.write(`MB = 10^6 bytes; MiB = 2^20 bytes. Times are wall clock from spawn to exit (+ sync where stated).\n\n`);
  process.stdout.write(`${table}\n\n`);
  process.stdout.write(`Slowest round trips during the import (ms at s since import.start): ${slowest.map((s) => `${s.ms.toFixed(0)} at ${(s.atMs / 1000).toFixed(1)}`).join(', ')}\n`);
  for (const warning of folderResults.warnings) process.stdout.write(`WARNING: ${warning}\n`);
  const generated = corpora.filter((c) => c.generatedMs !== undefined);
  if (generated.length > 0) {
    process.stdout.write(`Generated this run: ${generated.map((c) => `${c.name} in ${fmt.s(c.generatedMs!)}`).join(', ')}\n`);
  }
  const misses = rows.filter((r) => r.pass === false).length;
  process.stdout.write(`${misses === 0 ? 'All targets met' : `${misses} target(s) missed`}. Benchmark took ${durationS.toFixed(0)} s.\n`);

  if (options.json) {
    const figures = {
      date: new Date().toISOString(),
      durationS,
      machine,
      options,
      targets: TARGETS,
      corpora,
      folder: { ...folderResults, medians: { baselineMs: baseMs, importMs, ratio, reimportFilesPerSecondReport: reReport, reimportFilesPerSecondWall: reWall } },
      dicomdir: cdResults,
      small: [small2kResults, ...(smallNResults ? [smallNResults] : [])],
      latency: { ...latency, p50: percentile(ms, 50), p95, max: Math.max(...ms) },
      table: rows,
    };
    fs.writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(`Figures written to ${options.json}\n`);
  }
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the benchmark, removing its stores and copies\n`);
    cleanup();
    process.exit(130);
  });
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`bench:import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(cleanup);
