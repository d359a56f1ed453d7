// Benchmark of the DICOM receiver (not a test): the same folder sent by dcmtk's storescu to dcmtk's
// storescp (which only writes files) and to `noctis scp` (which makes every instance durable and
// indexes it before answering), in one run; prints figures, and ratios against storescp. Where
// Orthanc is installed, it receives the same folders too, as a reference that also syncs each
// file and indexes it (its default `SyncStorageArea: true`, since Orthanc 1.7.4) — info only.
//
//   npm run build:main && npm run bench:scp [-- --repeat 3 --files 2000 --memory 10000
//                                            --parallel 4 --json FILE --cpu-prof DIR]
//
// 1. rate, one association: `storescu +sd +r` of the corpus (CT 512x512 slices) to storescp, to
//    Noctis (and to Orthanc), interleaved `--repeat` times (the order turns by one each repeat),
//    fresh output folder / data dir each time; medians, instances/s, MB/s, ratios;
// 2. the same with `--parallel` storescu associations at once, one per sub-folder of the corpus
//    (storescp with --fork, so that it too takes them concurrently);
// 3. memory: one association of `--memory` small instances (CT 64x64) to Noctis, the receiver's
//    RSS sampled from /proc while storescu counts the answers; and storescp's rate on them (info);
// 4. context: what an fdatasync costs on this file system (the receiver does three per instance,
//    the first two at once);
// 5. with --cpu-prof: one more, uncounted, single-association run with the receiver under node
//    --cpu-prof, and the functions with the most self time on each of its threads.
// Every run is checked: a run that did not store every instance is a failure, not a figure (it is
// left out of the medians, and the script exits 1); a missed target is reported, with exit 0.
//
// storescp cannot bind to loopback only, so the script re-runs itself in a private network
// namespace with only `lo` (unshare --net, needs root): nothing listens on a real interface.
// dcmtk tools run with TCP_NODELAY=1 (with Nagle's algorithm they crawl at ~20 instances/s).
// Corpora are cached under os.tmpdir(); every store and output folder made here is removed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { ReceiverStatus } from '../../shared/network';
import { newUid, writeStudy } from '../fixtures/generate';

const REPO = path.resolve(__dirname, '../..');
/** The `noctis` command (package.json "bin"): it runs the bundle dist/cli.js. */
const NOCTIS_BIN = path.join(REPO, 'electron/cli/bin.cjs');
const CACHE_DIR = path.join(os.tmpdir(), 'noctis-bench-corpus-v1');
const CACHE_VERSION = 1;
/** Set in the re-executed script: it runs in the private network namespace. */
const NETNS_ENV = 'NOCTIS_BENCH_SCP_NETNS';
const RSS_POLL_MS = 50;
const MB = 1e6;
const DCMTK_ENV = { ...process.env, TCP_NODELAY: '1' };
/** Where Debian installs Orthanc, if it is on this machine (the reference rows need it). */
const ORTHANC_BIN = ['/usr/sbin/Orthanc', '/usr/bin/Orthanc'].find((file) => fs.existsSync(file));
/** Any storescu run longer than this is stopped (and the run fails). */
const SEND_TIMEOUT_MS = 15 * 60_000;

const TARGETS = {
  /** Noctis's instances/s at least this fraction of storescp's, with indexing (both rows). */
  rateRatio: 0.8,
  /** "Flat": VmRSS right after the last answer at most this much more than at 10% of the way. */
  rssFlatRatio: 1.25,
};

// ---------------------------------------------------------------------------------------------
// Options, logging, cleanup

interface Options {
  files: number;
  memory: number;
  repeat: number;
  parallel: number;
  /** storescp with --fork for the parallel row (else it takes the associations one by one). */
  fork: boolean;
  /** Orthanc receives too (a durable, indexing reference), when it is installed. */
  orthanc: boolean;
  json?: string;
  cpuProf?: string;
  settleMs: number;
}

const USAGE = `Usage: npm run bench:scp -- [options]
  --files N        instances in the rate corpus: CT 512x512 slices, ~0.5 MB each (default 2000)
  --memory N       small instances (CT 64x64) for the receiver's RSS over one association
                   (default 10000; 0 skips the memory part)
  --repeat N       repetitions of each timed rate run (default 3); medians are reported
  --parallel N     storescu associations at once in the second row, one per sub-folder of the
                   corpus (default 4)
  --storescp-serial  plain storescp (no --fork) in the parallel row: it then takes the
                   associations one after the other
  --no-orthanc     leave Orthanc out (by default it receives too when installed: a reference
                   that syncs every file and indexes it, as Noctis does; info, no target)
  --settle S       seconds to wait after deleting the previous outputs and syncing (default 2); the
                   last second must see no device writes or discards (waits at most 10 s more)
  --cpu-prof DIR   after the figures, one more single-association run to Noctis (not counted)
                   with the receiver under node --cpu-prof; profiles go to DIR, a summary is printed
  --json FILE      also write every figure as JSON
Needs root (for unshare --net), dcmtk (storescu, storescp) and a built CLI (npm run build:main);
Orthanc (apt-get install orthanc) is optional.
`;

function positiveInt(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`--${name}: not a ${allowZero ? 'non-negative' : 'positive'} integer: ${text}`);
  return n;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '2000' },
      memory: { type: 'string', default: '10000' },
      repeat: { type: 'string', default: '3' },
      parallel: { type: 'string', default: '4' },
      'storescp-serial': { type: 'boolean', default: false },
      'no-orthanc': { type: 'boolean', default: false },
      settle: { type: 'string', default: '2' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const settle = Number(values.settle);
  if (!Number.isFinite(settle) || settle < 0) throw new Error(`--settle: not a number of seconds: ${values.settle}`);
  const options: Options = {
    files: positiveInt('files', values.files),
    memory: positiveInt('memory', values.memory, true),
    repeat: positiveInt('repeat', values.repeat),
    parallel: positiveInt('parallel', values.parallel),
    fork: !values['storescp-serial'],
    orthanc: !values['no-orthanc'],
    json: values.json === undefined ? undefined : path.resolve(values.json),
    cpuProf: values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']),
    settleMs: settle * 1000,
  };
  if (options.files < options.parallel) throw new Error(`--files (${options.files}) must be at least --parallel (${options.parallel})`);
  return options;
}

const benchStart = performance.now();

function log(message: string): void {
  const seconds = ((performance.now() - benchStart) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${seconds} s] ${message}\n`);
}

/** Children still running, so that an interrupted run stops exactly those. */
const children = new Set<ChildProcess>();
let workDir: string | undefined;

function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

// ---------------------------------------------------------------------------------------------
// Processes: spawning, /proc figures

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Proc {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exited>;
  /** Wall time from spawn to exit, once it exited. */
  wallMs(): number;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, stdout: 'pipe' | 'ignore' = 'pipe'): Proc {
  const started = performance.now();
  let ended: number | undefined;
  const child = spawn(command, args, { stdio: ['ignore', stdout, 'pipe'], env });
  children.add(child);
  const exited = new Promise<Exited>((resolve, reject) => {
    child.once('error', (error) => {
      children.delete(child);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.once('exit', () => (ended = performance.now()));
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) {
    // spawn failed (e.g. ENOENT): 'error' follows.
    return { child, pid: -1, exited, wallMs: () => 0 };
  }
  return { child, pid: child.pid, exited, wallMs: () => (ended ?? performance.now()) - started };
}

/** Text a child writes on a stream, keeping only the last `limit` characters. */
function collect(stream: NodeJS.ReadableStream | null, limit = 20_000): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > 2 * limit) text = text.slice(-limit);
  });
  return () => text.slice(-limit);
}

interface Memory {
  rssKb: number;
  hwmKb: number;
}

function readMemory(pid: number): Memory | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return rss && hwm ? { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) } : undefined;
  } catch {
    return undefined; // gone, or a zombie
  }
}

let clockTicks = 100;

/** CPU time of a process so far (with its reaped children), in ms: user, system. */
function cpuTimes(pid: number): { userMs: number; sysMs: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses. utime is field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return { userMs: ((fields[11] + fields[13]) * 1000) / clockTicks, sysMs: ((fields[12] + fields[14]) * 1000) / clockTicks };
  } catch {
    return undefined;
  }
}

function cpuMs(pid: number): number | undefined {
  const t = cpuTimes(pid);
  return t && t.userMs + t.sysMs;
}

function syncAll(): number {
  const t = performance.now();
  execFileSync('sync');
  return performance.now() - t;
}

/** A free TCP port on 127.0.0.1 (the namespace is ours: nothing else takes it meanwhile). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something listens on `port` in this namespace (read from /proc: no connection made). */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 3 && fields[1].endsWith(`:${hex}`) && fields[3] === '0A') return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Device I/O and settling between runs (as in bench:import)

/** The block device under os.tmpdir(), as /proc/diskstats names it (unknown: no device figures). */
let diskName: string | undefined;
let settleMs = 2000;

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

function diskWrittenBytes(): number | undefined {
  return diskCounters()?.writtenBytes;
}

/** At most this long beyond --settle for the device to go quiet. */
const MAX_QUIET_WAIT_MS = 10_000;

/**
 * Deletes the previous outputs, syncs, and waits `--settle` seconds, the last of which must be
 * free of device writes and discards (this VM's disk flushes and discards in bursts long after a
 * sync: the file system is mounted with `discard`), waiting at most 10 s more for such a second.
 */
async function settle(...paths: string[]): Promise<void> {
  for (const p of paths) fs.rmSync(p, { recursive: true, force: true });
  syncAll();
  const quietMs = Math.min(1000, settleMs);
  await sleep(settleMs - quietMs);
  const waitStart = performance.now();
  let last = diskCounters();
  let quietSince = performance.now();
  while (last !== undefined && performance.now() - waitStart < quietMs + MAX_QUIET_WAIT_MS) {
    await sleep(100);
    const now = diskCounters();
    if (now === undefined) break;
    if (now.writtenBytes !== last.writtenBytes || now.discardedBytes !== last.discardedBytes) quietSince = performance.now();
    else if (performance.now() - quietSince >= quietMs) break;
    last = now;
  }
  if (last === undefined) await sleep(quietMs);
  const extraMs = performance.now() - waitStart - quietMs;
  if (extraMs > 500) log(`  (waited ${(extraMs / 1000).toFixed(1)} s more for the device to go quiet)`);
}

// ---------------------------------------------------------------------------------------------
// Corpora, cached under os.tmpdir() (the same cache and marker format as bench:import)

interface Corpus {
  name: string;
  dir: string;
  /** The folders sent by parallel associations (the corpus itself when there is one). */
  parts: string[];
  files: number;
  bytes: number;
  description: string;
  generatedMs?: number;
}

interface Marker {
  version: number;
  key: unknown;
  counts: { files: number; bytes: number; studies?: number; series?: number };
  generatedMs: number;
  createdAt: string;
}

function cachedCorpus(name: string, key: unknown, make: (dir: string) => Marker['counts']): { dir: string; counts: Marker['counts']; generatedMs?: number } {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const dir = path.join(CACHE_DIR, name);
  const markerFile = path.join(CACHE_DIR, `${name}.json`);
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    if (marker.version === CACHE_VERSION && JSON.stringify(marker.key) === JSON.stringify(key) && fs.existsSync(dir)) {
      return { dir, counts: marker.counts };
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
  log(`  generated ${name}: ${fmt.int(counts.files)} files, ${(counts.bytes / MB).toFixed(1)} MB in ${fmt.s(generatedMs)}`);
  return { dir, counts, generatedMs };
}

/**
 * Writes `files` CT instances of `size` x `size` into `dir`: `parts` sub-folders (part1…), each
 * one patient with one study, in series of at most `perSeries` slices.
 */
function writeCtCorpus(dir: string, files: number, parts: number, size: number, perSeries: number): Marker['counts'] {
  let bytes = 0;
  let written = 0;
  let series = 0;
  for (let p = 0; p < parts; p++) {
    const inPart = Math.floor(files / parts) + (p < files % parts ? 1 : 0);
    const patientId = `SCPBENCH${String(p + 1).padStart(3, '0')}`;
    const studyInstanceUid = newUid();
    for (let s = 0, done = 0; done < inPart; s++) {
      const slices = Math.min(perSeries, inPart - done);
      const result = writeStudy(dir, {
        patientName: `SCPBENCH^PART${p + 1}`,
        patientId,
        modality: 'CT',
        studyInstanceUid,
        studyDescription: size >= 256 ? 'CT CHEST WITH CONTRAST' : 'CT SMALL INSTANCES',
        accessionNumber: `SCP${String(p + 1).padStart(5, '0')}`,
        rows: size,
        columns: size,
        seriesCount: 1,
        slicesPerSeries: slices,
        firstSeriesNumber: s + 1,
        seriesDescription: `AX ${s + 1}`,
        pathFor: (_series, i) => path.join(`part${p + 1}`, `SE${String(s + 1).padStart(3, '0')}`, `IMG${String(i + 1).padStart(5, '0')}.dcm`),
      });
      for (const instance of result.instances) bytes += instance.bytes;
      done += slices;
      written += slices;
      series++;
    }
  }
  return { files: written, bytes, studies: parts, series };
}

/** The rate corpus: `files` CT 512x512 slices in `parts` sub-folders, series of 100. */
function rateCorpus(files: number, parts: number): Corpus {
  const name = `scp-ct512-${files}-p${parts}`;
  const made = cachedCorpus(name, { files, parts, size: 512, perSeries: 100 }, (dir) => writeCtCorpus(dir, files, parts, 512, 100));
  return {
    name,
    dir: made.dir,
    parts: Array.from({ length: parts }, (_, p) => path.join(made.dir, `part${p + 1}`)),
    files: made.counts.files,
    bytes: made.counts.bytes,
    description: `CT 512x512 16-bit, ${parts} patients, series of 100`,
    generatedMs: made.generatedMs,
  };
}

/** The memory corpus: `files` CT 64x64 instances, series of 200, in one folder. */
function memoryCorpus(files: number): Corpus {
  const name = `scp-ct64-${files}`;
  const parts = Math.max(1, Math.ceil(files / 2000));
  const made = cachedCorpus(name, { files, parts, size: 64, perSeries: 200 }, (dir) => writeCtCorpus(dir, files, parts, 64, 200));
  return {
    name,
    dir: made.dir,
    parts: [made.dir],
    files: made.counts.files,
    bytes: made.counts.bytes,
    description: 'CT 64x64 16-bit, series of 200',
    generatedMs: made.generatedMs,
  };
}

/** Reads every file once so that the first timed run does not pay for a cold page cache alone. */
function warm(corpus: Corpus): void {
  execFileSync('bash', ['-c', 'find "$1" -type f -print0 | xargs -0 -r cat > /dev/null', 'warm', corpus.dir]);
}

// ---------------------------------------------------------------------------------------------
// The two receivers and the sender

type ReceiverKind = 'storescp' | 'noctis' | 'orthanc';

interface Receiver {
  kind: ReceiverKind;
  proc: Proc;
  port: number;
  aeTitle: string;
  stderr: () => string;
  /** Noctis: what it printed on stdout after its status line (nothing, with --json). */
  extraStdout: () => string;
  /** Noctis only: /proc samples while it runs. */
  samples: Array<{ atMs: number; acks: number } & Memory>;
  /** Answers counted so far by a verbose storescu (for the memory part). */
  acks: { count: number };
  stopSampling: () => void;
}

async function startStorescp(out: string, fork: boolean): Promise<Receiver> {
  fs.mkdirSync(out, { recursive: true });
  const port = await freePort();
  const proc = launch('storescp', [...(fork ? ['--fork'] : []), '-od', out, String(port)], DCMTK_ENV, 'ignore');
  return listeningPeer('storescp', proc, port, 'STORESCP', 10_000);
}

/** A dcmtk or Orthanc receiver once it listens on `port` (it fails if it exits or takes too long). */
async function listeningPeer(kind: 'storescp' | 'orthanc', proc: Proc, port: number, aeTitle: string, timeoutMs: number): Promise<Receiver> {
  const stderr = collect(proc.child.stderr);
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true), () => (exited = true));
  while (!listening(port)) {
    if (exited) throw new Error(`${kind} exited before listening: ${stderr()}`);
    if (performance.now() > deadline) throw new Error(`${kind} did not listen on ${port} within ${timeoutMs / 1000} s: ${stderr()}`);
    await sleep(20);
  }
  return { kind, proc, port, aeTitle, stderr, extraStdout: () => '', samples: [], acks: { count: 0 }, stopSampling: () => undefined };
}

/** Debian's Orthanc with its own config in `dir` (storage and index there), its defaults otherwise. */
async function startOrthanc(dir: string): Promise<Receiver> {
  fs.mkdirSync(dir, { recursive: true });
  const [dicomPort, httpPort] = [await freePort(), await freePort()];
  const config = {
    Name: 'noctis-bench',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    Plugins: [],
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: 'ORTHANC',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomAlwaysAllowStore: true,
    DicomCheckModalityHost: false,
    // Its default since 1.7.4, written out: the point of this reference is that it syncs each file.
    SyncStorageArea: true,
    SaveJobs: false,
  };
  const file = path.join(dir, 'orthanc.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  const proc = launch(ORTHANC_BIN ?? 'Orthanc', [file], DCMTK_ENV, 'ignore');
  return listeningPeer('orthanc', proc, dicomPort, 'ORTHANC', 30_000);
}

async function startNoctis(dataDir: string, profileDir?: string): Promise<Receiver> {
  const args = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    NOCTIS_BIN, 'scp', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--json',
  ];
  const proc = launch(process.execPath, args);
  const stderr = collect(proc.child.stderr);
  let stdout = '';
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`noctis scp printed nothing within 30 s: ${stderr()}`)), 30_000);
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    };
    proc.child.stdout?.on('data', onData);
    proc.exited.then(
      (e) => reject(new Error(`noctis scp exited with ${e.code ?? e.signal} before listening: ${stdout}${stderr()}`)),
      reject,
    );
  });
  const status = JSON.parse(first) as ReceiverStatus;
  if (!status.listening) throw new Error(`noctis scp is not listening: ${status.error ?? first}`);
  const receiver: Receiver = {
    kind: 'noctis',
    proc,
    port: status.port,
    aeTitle: status.aeTitle,
    stderr,
    extraStdout: () => stdout.slice(first.length + 1),
    samples: [],
    acks: { count: 0 },
    stopSampling: () => undefined,
  };
  const t0 = performance.now();
  const poll = () => {
    const memory = readMemory(proc.pid);
    if (memory) receiver.samples.push({ atMs: performance.now() - t0, acks: receiver.acks.count, ...memory });
  };
  poll();
  const timer = setInterval(poll, RSS_POLL_MS);
  receiver.stopSampling = () => {
    poll();
    clearInterval(timer);
  };
  return receiver;
}

/** Stops a receiver; for Noctis, checks that SIGTERM stopped it cleanly within 30 s. */
async function stopReceiver(receiver: Receiver): Promise<string[]> {
  receiver.stopSampling();
  const problems: string[] = [];
  if (receiver.proc.child.exitCode !== null || receiver.proc.child.signalCode !== null) {
    problems.push(`${receiver.kind} had exited already (${receiver.proc.child.exitCode ?? receiver.proc.child.signalCode})`);
  }
  // Orthanc takes seconds to stop cleanly, and its storage is counted from the files and removed.
  receiver.proc.child.kill(receiver.kind === 'orthanc' ? 'SIGKILL' : 'SIGTERM');
  const exited = await Promise.race([receiver.proc.exited, sleep(30_000, undefined, { ref: false }).then(() => undefined)]);
  if (!exited) {
    receiver.proc.child.kill('SIGKILL');
    await receiver.proc.exited.catch(() => undefined);
    problems.push(`${receiver.kind} did not stop within 30 s of SIGTERM`);
  } else if (receiver.kind === 'noctis') {
    if (exited.code !== 0) problems.push(`noctis scp exited with ${exited.code ?? exited.signal} on SIGTERM: ${receiver.stderr().slice(-4000)}`);
    const extra = receiver.extraStdout();
    if (extra.trim()) problems.push(`noctis scp --json printed more than its status line: ${extra.slice(0, 300)}`);
  }
  return problems;
}

interface Sent {
  wallMs: number;
  /** Every storescu's exit code (0: every instance answered with success). */
  codes: Array<number | null>;
  errors: string[];
}

/**
 * `storescu -aec AE +sd +r 127.0.0.1 PORT DIR`, one per folder, all at once; wall time from the
 * first spawn to the last exit. `verbose` counts the answers into `receiver.acks`.
 */
async function send(receiver: Receiver, dirs: string[], verbose = false): Promise<Sent> {
  const t = performance.now();
  const runs = dirs.map((dir) => {
    const proc = launch('storescu', [...(verbose ? ['-v'] : []), '-aec', receiver.aeTitle, '+sd', '+r', '127.0.0.1', String(receiver.port), dir], DCMTK_ENV, 'ignore');
    let problems = '';
    let partial = '';
    proc.child.stderr?.setEncoding('utf8');
    proc.child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('Received Store Response')) {
          if (line.includes('(Success)')) receiver.acks.count++;
          else problems += `${line}\n`;
        } else if (/^[EF]: /.test(line) && problems.length < 4000) problems += `${line}\n`;
      }
    });
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), SEND_TIMEOUT_MS);
    return proc.exited.then((e) => {
      clearTimeout(timer);
      return { code: e.code, problems: problems + partial };
    });
  });
  const results = await Promise.all(runs);
  return {
    wallMs: performance.now() - t,
    codes: results.map((r) => r.code),
    errors: results.filter((r) => r.code !== 0 || r.problems.trim()).map((r) => `storescu exit ${r.code}: ${r.problems.trim().slice(0, 1000)}`),
  };
}

/** Files storescp wrote into `out` (it writes them flat, one per instance). */
function countFiles(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++;
  return n;
}

/** What the stopped receiver's store holds: `noctis instances --json`, and leftovers in tmp/. */
function noctisStored(dataDir: string): { instances: number; unique: number; leftovers: number } {
  const out = execFileSync(process.execPath, [NOCTIS_BIN, 'instances', '--data-dir', dataDir, '--json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const list = JSON.parse(out) as Array<{ sopInstanceUid: string }>;
  const tmp = path.join(dataDir, 'tmp');
  const leftovers = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((name) => name.startsWith('rx-')).length : 0;
  return { instances: list.length, unique: new Set(list.map((i) => i.sopInstanceUid)).size, leftovers };
}

// ---------------------------------------------------------------------------------------------
// Runs

interface RateRun {
  receiver: ReceiverKind;
  mode: 'single' | 'parallel';
  repeat: number;
  wallMs: number;
  stored: number;
  expected: number;
  ok: boolean;
  problems: string[];
  /** storescp: `sync` right after storescu ended (its files then on disk). */
  syncMs?: number;
  /** The receiver's CPU time (user + system) during the send; storescp --fork: n/a. */
  cpuMs?: number;
  /** Of which system (kernel) time. */
  sysMs?: number;
  /** Noctis: VmHWM at the end of the run. */
  peakRssKb?: number;
  deviceWrittenMB?: number;
}

async function rateRun(kind: RateRun['receiver'], mode: RateRun['mode'], corpus: Corpus, repeat: number, work: string, fork: boolean): Promise<RateRun> {
  const dir = path.join(work, `${kind}-${mode}-${repeat}`);
  const dirs = mode === 'single' ? [corpus.dir] : corpus.parts;
  const forked = kind === 'storescp' && mode === 'parallel' && fork;
  const receiver = kind === 'storescp' ? await startStorescp(dir, forked) : kind === 'orthanc' ? await startOrthanc(dir) : await startNoctis(dir);
  const problems: string[] = [];
  let result: RateRun | undefined;
  try {
    await settle(); // the receiver's start-up writes (a new store) are not the run's
    const written0 = diskWrittenBytes();
    const cpu0 = cpuTimes(receiver.proc.pid);
    const sent = await send(receiver, dirs);
    const cpu1 = cpuTimes(receiver.proc.pid);
    const syncMs = kind === 'storescp' ? syncAll() : undefined;
    const written1 = diskWrittenBytes();
    problems.push(...sent.errors);
    const peakRssKb = kind === 'noctis' ? readMemory(receiver.proc.pid)?.hwmKb : undefined;
    problems.push(...(await stopReceiver(receiver)));
    let stored: number;
    if (kind === 'storescp') {
      stored = countFiles(dir);
    } else if (kind === 'orthanc') {
      stored = countFiles(path.join(dir, 'storage'));
    } else {
      const s = noctisStored(dir);
      stored = s.instances;
      if (s.unique !== s.instances) problems.push(`${s.instances - s.unique} duplicate rows in the index`);
      if (s.leftovers > 0) problems.push(`${s.leftovers} rx- files left in tmp/`);
    }
    if (stored !== corpus.files) problems.push(`stored ${stored} of ${corpus.files} instances`);
    result = {
      receiver: kind,
      mode,
      repeat,
      wallMs: sent.wallMs,
      stored,
      expected: corpus.files,
      ok: problems.length === 0,
      problems,
      syncMs,
      cpuMs: cpu0 && cpu1 && !forked ? cpu1.userMs + cpu1.sysMs - cpu0.userMs - cpu0.sysMs : undefined,
      sysMs: cpu0 && cpu1 && !forked ? cpu1.sysMs - cpu0.sysMs : undefined,
      peakRssKb,
      deviceWrittenMB: written0 !== undefined && written1 !== undefined ? (written1 - written0) / MB : undefined,
    };
  } finally {
    if (receiver.proc.child.exitCode === null && receiver.proc.child.signalCode === null) {
      receiver.proc.child.kill('SIGKILL');
      await receiver.proc.exited.catch(() => undefined);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const n = corpus.files;
  const rate = n / (result.wallMs / 1000);
  const parts = [
    `${fmt.s(result.wallMs)}, ${fmt.ips(rate)}, ${fmt.mbps(corpus.bytes / MB / (result.wallMs / 1000))}`,
    ...(result.syncMs !== undefined ? [`then sync ${fmt.s(result.syncMs)}`] : []),
    ...(result.cpuMs !== undefined ? [`receiver CPU ${fmt.s(result.cpuMs)} (sys ${fmt.s(result.sysMs ?? NaN)})`] : []),
    ...(result.peakRssKb !== undefined ? [`peak RSS ${fmt.mib(result.peakRssKb)}`] : []),
    ...(result.deviceWrittenMB !== undefined ? [`device wrote ${result.deviceWrittenMB.toFixed(0)} MB`] : []),
    `stored ${fmt.int(result.stored)}/${fmt.int(n)}`,
  ];
  log(`    ${parts.join('; ')}${result.ok ? '' : `  FAILED: ${result.problems.join('; ')}`}`);
  return result;
}

interface MemoryResults {
  files: number;
  bytes: number;
  noctis: { wallMs: number; stored: number; ok: boolean; problems: string[]; idleRssKb: number; cpuMs?: number };
  /** VmRSS and VmHWM at the first sample with at least this fraction of the answers in. */
  points: Array<{ fraction: number; atMs: number; acks: number; rssKb: number; hwmKb: number }>;
  /** Right after storescu ended (every answer in). */
  end: { atMs: number; acks: number; rssKb: number; hwmKb: number };
  peakHwmKb: number;
  samples: number;
  storescp?: { wallMs: number; stored: number; ok: boolean; problems: string[] };
}

async function memoryRun(corpus: Corpus, work: string): Promise<MemoryResults> {
  const dir = path.join(work, 'noctis-memory');
  await settle(dir);
  log(`[3] memory: storescu -v of ${fmt.int(corpus.files)} small instances to Noctis (one association), VmRSS/VmHWM every ${RSS_POLL_MS} ms`);
  const receiver = await startNoctis(dir);
  let out: MemoryResults;
  try {
    await sleep(1000);
    const idle = readMemory(receiver.proc.pid);
    const cpu0 = cpuMs(receiver.proc.pid);
    const sendStart = receiver.samples.length;
    const sent = await send(receiver, [corpus.dir], true);
    const cpu1 = cpuMs(receiver.proc.pid);
    const endMemory = readMemory(receiver.proc.pid);
    const endAt = receiver.samples.length > 0 ? receiver.samples[receiver.samples.length - 1].atMs + RSS_POLL_MS : 0;
    const problems = [...sent.errors, ...(await stopReceiver(receiver))];
    const s = noctisStored(dir);
    if (s.instances !== corpus.files) problems.push(`stored ${s.instances} of ${corpus.files} instances`);
    if (s.leftovers > 0) problems.push(`${s.leftovers} rx- files left in tmp/`);
    if (receiver.acks.count !== corpus.files) problems.push(`storescu counted ${receiver.acks.count} successful answers of ${corpus.files}`);
    const during = receiver.samples.slice(sendStart);
    const points = [0.1, 0.25, 0.5, 0.75, 1].flatMap((fraction) => {
      const sample = during.find((x) => x.acks >= Math.ceil(fraction * corpus.files));
      return sample ? [{ fraction, ...sample }] : [];
    });
    const end = endMemory ? { atMs: endAt, acks: receiver.acks.count, ...endMemory } : { atMs: endAt, acks: receiver.acks.count, rssKb: NaN, hwmKb: NaN };
    out = {
      files: corpus.files,
      bytes: corpus.bytes,
      noctis: { wallMs: sent.wallMs, stored: s.instances, ok: problems.length === 0, problems, idleRssKb: idle?.rssKb ?? NaN, cpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined },
      points,
      end,
      peakHwmKb: Math.max(end.hwmKb || 0, ...receiver.samples.map((x) => x.hwmKb)),
      samples: during.length,
    };
    const series = points.map((p) => `${Math.round(p.fraction * 100)}% ${fmt.mib(p.rssKb)}`).join(', ');
    log(`    ${fmt.s(sent.wallMs)}, ${fmt.ips(corpus.files / (sent.wallMs / 1000))}; VmRSS idle ${fmt.mib(out.noctis.idleRssKb)}, ${series}, after the last answer ${fmt.mib(end.rssKb)}; ` +
      `peak (VmHWM) ${fmt.mib(out.peakHwmKb)}; stored ${fmt.int(s.instances)}/${fmt.int(corpus.files)}${problems.length ? `  FAILED: ${problems.join('; ')}` : ''}`);
  } finally {
    if (receiver.proc.child.exitCode === null && receiver.proc.child.signalCode === null) {
      receiver.proc.child.kill('SIGKILL');
      await receiver.proc.exited.catch(() => undefined);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // storescp on the same small instances, once: how much per-instance overhead weighs (info).
  const scpOut = path.join(work, 'storescp-memory');
  await settle(scpOut);
  log(`[3] memory (info): the same ${fmt.int(corpus.files)} small instances to storescp`);
  const storescp = await startStorescp(scpOut, false);
  try {
    const sent = await send(storescp, [corpus.dir]);
    const problems = [...sent.errors, ...(await stopReceiver(storescp))];
    const stored = countFiles(scpOut);
    if (stored !== corpus.files) problems.push(`stored ${stored} of ${corpus.files} instances`);
    out.storescp = { wallMs: sent.wallMs, stored, ok: problems.length === 0, problems };
    log(`    ${fmt.s(sent.wallMs)}, ${fmt.ips(corpus.files / (sent.wallMs / 1000))}; stored ${fmt.int(stored)}/${fmt.int(corpus.files)}${problems.length ? `  FAILED: ${problems.join('; ')}` : ''}`);
  } finally {
    if (storescp.proc.child.exitCode === null && storescp.proc.child.signalCode === null) {
      storescp.proc.child.kill('SIGKILL');
      await storescp.proc.exited.catch(() => undefined);
    }
    await settle(scpOut);
  }
  return out;
}

interface SyncCosts {
  /** fdatasync of a freshly written file of the rate corpus's mean size. */
  fdatasyncLargeMs: number;
  /** fdatasync of a freshly written 4 KiB file (≈ one SQLite WAL commit). */
  fdatasyncSmallMs: number;
  /** fsync of a folder after a rename into it. */
  dirFsyncMs: number;
  samples: number;
}

/** Step 4: what the syncs the receiver does per instance cost here, medians of `n`. */
function syncCosts(work: string, largeBytes: number, n = 40): SyncCosts {
  const dir = path.join(work, 'fsync');
  const into = path.join(dir, 'into');
  fs.mkdirSync(into, { recursive: true });
  const large = Buffer.alloc(largeBytes, 0x5a);
  const small = Buffer.alloc(4096, 0x5a);
  const timeSync = (bytes: Buffer, name: string): number => {
    const file = path.join(dir, name);
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, bytes);
      const t = performance.now();
      fs.fdatasyncSync(fd);
      return performance.now() - t;
    } finally {
      fs.closeSync(fd);
    }
  };
  const largeMs: number[] = [];
  const smallMs: number[] = [];
  const dirMs: number[] = [];
  for (let i = 0; i < n; i++) {
    largeMs.push(timeSync(large, `large-${i}`));
    smallMs.push(timeSync(small, `small-${i}`));
    fs.renameSync(path.join(dir, `large-${i}`), path.join(into, `large-${i}`));
    const fd = fs.openSync(into, 'r');
    const t = performance.now();
    fs.fsyncSync(fd);
    dirMs.push(performance.now() - t);
    fs.closeSync(fd);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { fdatasyncLargeMs: median(largeMs), fdatasyncSmallMs: median(smallMs), dirFsyncMs: median(dirMs), samples: n };
}

// ---------------------------------------------------------------------------------------------
// CPU profile summary (--cpu-prof)

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface ProfileSummary {
  file: string;
  thread: string;
  totalMs: number;
  top: Array<{ name: string; ms: number; share: number }>;
}

/** Self time per function (by name and place), largest first. */
function summariseProfile(file: string, top = 14): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${path.basename(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
  const thread = path.basename(file).split('.')[4] ?? '?';
  return {
    file,
    thread: thread === '0' ? 'main thread' : `worker thread ${thread}`,
    totalMs,
    top: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / totalMs })),
  };
}

async function profiledRun(corpus: Corpus, work: string, profileDir: string): Promise<{ wallMs: number; ok: boolean; profiles: ProfileSummary[] }> {
  const dir = path.join(work, 'noctis-profiled');
  fs.mkdirSync(profileDir, { recursive: true });
  const before = new Set(fs.readdirSync(profileDir));
  await settle(dir);
  log(`[5] profiled run (not in the figures): ${fmt.int(corpus.files)} instances to Noctis under --cpu-prof, profiles into ${profileDir}`);
  const receiver = await startNoctis(dir, profileDir);
  let wallMs: number;
  let ok: boolean;
  try {
    await settle();
    const sent = await send(receiver, [corpus.dir]);
    wallMs = sent.wallMs;
    const problems = [...sent.errors, ...(await stopReceiver(receiver))];
    ok = problems.length === 0 && noctisStored(dir).instances === corpus.files;
    log(`    ${fmt.s(wallMs)}, ${fmt.ips(corpus.files / (wallMs / 1000))}${ok ? '' : `  FAILED: ${problems.join('; ')}`}`);
  } finally {
    if (receiver.proc.child.exitCode === null && receiver.proc.child.signalCode === null) {
      receiver.proc.child.kill('SIGKILL');
      await receiver.proc.exited.catch(() => undefined);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const files = fs.readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile') && !before.has(name)).sort();
  return { wallMs, ok, profiles: files.map((name) => summariseProfile(path.join(profileDir, name))) };
}

// ---------------------------------------------------------------------------------------------
// Statistics and the table

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Row {
  label: string;
  value?: string;
  /** Every repetition, in order. */
  spread?: string;
  target?: string;
  pass?: boolean;
  /** How a missed target is named in the closing line. */
  miss?: string;
  /** A correctness check: FAIL rather than MISS. */
  check?: boolean;
}

const rows: Row[] = [];
const section = (label: string) => rows.push({ label });
const row = (r: Row) => rows.push(r);

const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  ms: (ms: number) => `${ms.toFixed(2)} ms`,
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ips: (n: number) => (Number.isFinite(n) ? `${Math.round(n).toLocaleString('en-US')} inst/s` : 'n/a'),
  mbps: (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} MB/s` : 'n/a'),
  mib: (kb: number) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MiB` : 'n/a'),
  ratio: (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a'),
  pct: (n: number) => `${(n * 100).toFixed(0)}%`,
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
    const result = r.pass === undefined ? '' : r.pass ? 'PASS' : r.check ? 'FAIL' : 'MISS';
    lines.push(
      `  ${r.label.padEnd(widths.label)}  ${r.value.padStart(widths.value)}  ${(r.spread ?? '').padEnd(widths.spread)}  ${(r.target ?? '').padEnd(widths.target)}  ${result}`.trimEnd(),
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Machine

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
  let dcmtk = '?';
  try {
    const version = execFileSync('storescp', ['--version'], { encoding: 'utf8' });
    dcmtk = /v(\d+\.\d+\.\d+)/.exec(version)?.[1] ?? version.split('\n')[0];
  } catch {
    // reported as '?'; starting storescp fails later with its own message
  }
  let orthanc: string | undefined;
  if (ORTHANC_BIN) {
    try {
      orthanc = /Orthanc (\S+)/.exec(execFileSync(ORTHANC_BIN, ['--version'], { encoding: 'utf8' }))?.[1];
    } catch {
      // left out of the header; starting it fails later with its own message
    }
  }
  let rotational: string | undefined;
  if (device) {
    try {
      rotational = fs.readFileSync(`/sys/block/${device}/queue/rotational`, 'utf8').trim() === '1' ? 'rotational' : 'non-rotational';
    } catch {
      // a partition, or no sysfs entry
    }
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
    rotational,
    dcmtk,
    orthanc,
  };
}

// ---------------------------------------------------------------------------------------------
// The private network namespace

/** Runs this very script again under `unshare --net` with `lo` up; resolves to its exit code. */
function reexecInNetns(): Promise<number> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('bench:scp needs root: it runs in a private network namespace (unshare --net), since storescp binds every interface');
  }
  const script = process.argv[1];
  const args = ['--net', '--', 'bash', '-c', 'ip link set lo up && exec "$@"', 'netns', process.execPath, ...process.execArgv, script, ...process.argv.slice(2)];
  const child = spawn('unshare', args, { stdio: 'inherit', env: { ...process.env, [NETNS_ENV]: '1' } });
  // Ctrl-C reaches the child too (same process group): it cleans up, we wait for it.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`unshare: ${error.message}`)));
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
}

// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (process.env[NETNS_ENV] !== '1') return reexecInNetns();
  const interfaces = Object.keys(os.networkInterfaces());
  if (interfaces.some((name) => name !== 'lo')) throw new Error(`not in a private network namespace with only lo: ${interfaces.join(', ')}`);
  for (const file of ['dist/cli.js', 'dist/importWorker.js']) {
    if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing: run npm run build:main first`);
  }
  try {
    clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    // 100 on every Linux we run on
  }
  settleMs = options.settleMs;
  const machine = machineFacts();
  diskName = machine.device;
  const cliBuilt = fs.statSync(path.join(REPO, 'dist/cli.js')).mtime;
  log(`Noctis receiver benchmark: ${machine.cores} cores (${machine.cpu}), ${machine.totalRamGiB} GiB RAM, Node ${machine.node}, ${machine.kernel}, dcmtk ${machine.dcmtk}` +
    (machine.orthanc ? `, Orthanc ${machine.orthanc}` : ''));
  log(`  temp filesystem: ${machine.filesystem || machine.tmpdir}${machine.rotational ? ` (${machine.rotational})` : ''}; CLI: dist/cli.js built ${cliBuilt.toISOString()}`);
  log(`  private network namespace: interfaces ${interfaces.join(', ')}; dcmtk with TCP_NODELAY=1`);
  log(`  options: files ${options.files}, memory ${options.memory || 'skipped'}, repeat ${options.repeat}, parallel ${options.parallel}` +
    ` (storescp ${options.fork ? '--fork' : 'serial'}), settle ${settleMs / 1000} s`);

  log(`[0] corpora (cache: ${CACHE_DIR})`);
  const corpus = rateCorpus(options.files, options.parallel);
  const small = options.memory > 0 ? memoryCorpus(options.memory) : undefined;
  for (const c of [corpus, ...(small ? [small] : [])]) {
    log(`  ${c.name}: ${fmt.int(c.files)} instances, ${(c.bytes / MB).toFixed(1)} MB (${c.description})${c.generatedMs === undefined ? ', cached' : ''}`);
    warm(c);
  }

  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-bench-scp-'));
  const work = workDir;

  // ----- 1 and 2: rate, interleaved
  const runs: RateRun[] = [];
  const modes: Array<RateRun['mode']> = options.parallel > 1 ? ['single', 'parallel'] : ['single'];
  const withOrthanc = options.orthanc && ORTHANC_BIN !== undefined;
  if (options.orthanc && !withOrthanc) log('  Orthanc is not installed (apt-get install orthanc): no reference rows');
  const kinds: ReceiverKind[] = withOrthanc ? ['storescp', 'noctis', 'orthanc'] : ['storescp', 'noctis'];
  for (const mode of modes) {
    for (let r = 1; r <= options.repeat; r++) {
      // Each receiver goes first in turn: a drift of the machine over the run is shared out.
      const order = kinds.map((_, i) => kinds[(i + r - 1) % kinds.length]);
      for (const kind of order) {
        const how = mode === 'single' ? 'one association' : `${options.parallel} associations at once`;
        const extra = kind === 'storescp' && mode === 'parallel' ? (options.fork ? ', storescp --fork' : ', storescp serial') : '';
        log(`[${mode === 'single' ? 1 : 2}] ${kind} ${r}/${options.repeat}: ${fmt.int(corpus.files)} instances, ${how}${extra}`);
        runs.push(await rateRun(kind, mode, corpus, r, work, options.fork));
      }
    }
  }

  // ----- 3: memory
  const memory = small ? await memoryRun(small, work) : undefined;

  // ----- 4: sync costs
  await settle();
  const meanBytes = Math.round(corpus.bytes / corpus.files);
  log(`[4] fdatasync costs on ${machine.tmpdir}: a ${fmt.int(meanBytes)}-byte file, a 4 KiB file, a folder after a rename (medians of 40)`);
  const syncs = syncCosts(work, meanBytes);
  // The file and its folder are synced at once, then SQLite's log: timed alone, the longer of the
  // first two plus the third (under load each takes longer, and two at once share a journal commit).
  const perInstanceSyncMs = Math.max(syncs.fdatasyncLargeMs, syncs.dirFsyncMs) + syncs.fdatasyncSmallMs;
  log(`    ${fmt.ms(syncs.fdatasyncLargeMs)}, ${fmt.ms(syncs.fdatasyncSmallMs)}, ${fmt.ms(syncs.dirFsyncMs)}: ${fmt.ms(perInstanceSyncMs)} per received instance`);

  // ----- 5: profile
  const profiled = options.cpuProf ? await profiledRun(corpus, work, options.cpuProf) : undefined;

  // ----- the table
  const rate = (ms: number, n = corpus.files) => n / (ms / 1000);
  const mbps = (ms: number, bytes = corpus.bytes) => bytes / MB / (ms / 1000);
  const ratios: Record<string, number> = {};
  for (const mode of modes) {
    const of = (kind: RateRun['receiver']) => runs.filter((x) => x.mode === mode && x.receiver === kind);
    const good = (kind: RateRun['receiver']) => of(kind).filter((x) => x.ok);
    const scp = good('storescp');
    const nox = good('noctis');
    const scpMs = median(scp.map((x) => x.wallMs));
    const noxMs = median(nox.map((x) => x.wallMs));
    const scpSyncMs = median(scp.map((x) => x.wallMs + (x.syncMs ?? 0)));
    const ratio = scp.length > 0 && nox.length > 0 ? rate(noxMs) / rate(scpMs) : NaN;
    ratios[mode] = ratio;
    const pairs = of('noctis').map((n) => {
      const s = of('storescp').find((x) => x.repeat === n.repeat);
      return s && s.ok && n.ok ? s.wallMs / n.wallMs : NaN;
    });
    const how = mode === 'single' ? 'one association' : `${options.parallel} associations at once${options.fork ? ' (storescp --fork)' : ' (storescp serial)'}`;
    section(`Rate, ${how}: ${fmt.int(corpus.files)} instances, ${(corpus.bytes / MB).toFixed(1)} MB (${corpus.description}); median of ${options.repeat}, runs in order`);
    const spread = (list: RateRun[], f: (x: RateRun) => string) => list.map((x) => (x.ok ? f(x) : 'FAILED')).join(' / ');
    row({ label: 'storescp: time', value: fmt.s(scpMs), spread: spread(of('storescp'), (x) => fmt.s(x.wallMs)) });
    row({ label: 'storescp: instances/s', value: fmt.ips(rate(scpMs)), spread: spread(of('storescp'), (x) => fmt.int(rate(x.wallMs))) });
    row({ label: 'storescp: MB/s', value: fmt.mbps(mbps(scpMs)) });
    row({ label: 'storescp + sync after (on disk, info): inst/s', value: fmt.ips(rate(scpSyncMs)), spread: spread(of('storescp'), (x) => `sync ${fmt.s(x.syncMs ?? NaN)}`) });
    if (mode === 'single' || !options.fork) {
      row({ label: 'storescp: CPU (user+sys) per instance', value: fmt.ms(median(scp.map((x) => (x.cpuMs ?? NaN) / corpus.files))) });
    }
    row({ label: 'Noctis: time', value: fmt.s(noxMs), spread: spread(of('noctis'), (x) => fmt.s(x.wallMs)) });
    row({ label: 'Noctis: instances/s', value: fmt.ips(rate(noxMs)), spread: spread(of('noctis'), (x) => fmt.int(rate(x.wallMs))) });
    row({ label: 'Noctis: MB/s', value: fmt.mbps(mbps(noxMs)) });
    row({
      label: 'Noctis: receiver CPU (user+sys) per instance',
      value: fmt.ms(median(nox.map((x) => (x.cpuMs ?? NaN) / corpus.files))),
      spread: `busy ${spread(of('noctis'), (x) => fmt.pct((x.cpuMs ?? NaN) / x.wallMs))} of wall`,
    });
    row({ label: '  of which system (kernel)', value: fmt.ms(median(nox.map((x) => (x.sysMs ?? NaN) / corpus.files))) });
    row({ label: 'Noctis: peak RSS (VmHWM)', value: fmt.mib(median(nox.map((x) => x.peakRssKb ?? NaN))), spread: spread(of('noctis'), (x) => fmt.mib(x.peakRssKb ?? NaN)) });
    row({
      label: 'ratio Noctis / storescp, instances/s',
      value: fmt.ratio(ratio),
      spread: `pairs: ${fmt.list(pairs, fmt.ratio)}`,
      target: `≥ ${TARGETS.rateRatio}`,
      pass: ratio >= TARGETS.rateRatio,
      miss: `rate ratio, ${how}: ${fmt.ratio(ratio)} < ${TARGETS.rateRatio} (Noctis ${fmt.ips(rate(noxMs))}; ${fmt.ips(TARGETS.rateRatio * rate(scpMs))} needed, ${fmt.pct(TARGETS.rateRatio / ratio - 1)} more)`,
    });
    row({ label: 'ratio Noctis / (storescp + sync), info', value: fmt.ratio(rate(noxMs) / rate(scpSyncMs)) });
    if (withOrthanc) {
      const orthanc = good('orthanc');
      const orthancMs = median(orthanc.map((x) => x.wallMs));
      row({ label: 'Orthanc (syncs each file; reference): time', value: fmt.s(orthancMs), spread: spread(of('orthanc'), (x) => fmt.s(x.wallMs)) });
      row({ label: 'Orthanc: instances/s', value: fmt.ips(rate(orthancMs)), spread: spread(of('orthanc'), (x) => fmt.int(rate(x.wallMs))) });
      row({
        label: 'Orthanc: CPU (user+sys) per instance',
        value: fmt.ms(median(orthanc.map((x) => (x.cpuMs ?? NaN) / corpus.files))),
        spread: `busy ${spread(of('orthanc'), (x) => fmt.pct((x.cpuMs ?? NaN) / x.wallMs))} of wall`,
      });
      const orthancPairs = of('noctis').map((n) => {
        const o = of('orthanc').find((x) => x.repeat === n.repeat);
        return o && o.ok && n.ok ? o.wallMs / n.wallMs : NaN;
      });
      row({ label: 'ratio Noctis / Orthanc, info', value: fmt.ratio(orthanc.length > 0 && nox.length > 0 ? orthancMs / noxMs : NaN), spread: `pairs: ${fmt.list(orthancPairs, fmt.ratio)}` });
    }
    for (const kind of kinds) {
      const list = of(kind);
      const complete = list.filter((x) => x.ok).length;
      row({
        label: `${kind}: runs that stored every instance`,
        value: `${complete}/${list.length}`,
        target: 'all',
        pass: complete === list.length,
        check: true,
        miss: `${kind}, ${how}: ${list.length - complete} of ${list.length} runs failed (${list.filter((x) => !x.ok).map((x) => x.problems.join('; ')).join(' | ')})`,
      });
    }
  }

  if (memory && small) {
    const point = (f: number) => memory.points.find((p) => p.fraction === f);
    const at10 = point(0.1);
    const flat = at10 ? memory.end.rssKb / at10.rssKb : NaN;
    section(`Memory: Noctis receiving ${fmt.int(small.files)} small instances (${small.description}), one association; VmRSS from /proc`);
    row({ label: 'VmRSS, listening, before the association', value: fmt.mib(memory.noctis.idleRssKb) });
    for (const f of [0.1, 0.5]) {
      const p = point(f);
      row({ label: `VmRSS at ${fmt.pct(f)} of the answers`, value: fmt.mib(p?.rssKb ?? NaN), spread: p ? `${fmt.int(p.acks)} answered, VmHWM ${fmt.mib(p.hwmKb)}` : '' });
    }
    row({ label: 'VmRSS after 100% (right after the last answer)', value: fmt.mib(memory.end.rssKb), spread: `${fmt.int(memory.end.acks)} answered, VmHWM ${fmt.mib(memory.end.hwmKb)}` });
    row({ label: 'peak RSS (VmHWM)', value: fmt.mib(memory.peakHwmKb), spread: `${memory.samples} samples` });
    row({
      label: 'flat: VmRSS after 100% / VmRSS at 10%',
      value: fmt.ratio(flat),
      target: `≤ ${TARGETS.rssFlatRatio}`,
      pass: flat <= TARGETS.rssFlatRatio,
      miss: `RSS not flat: ${fmt.mib(memory.end.rssKb)} after 100% is ${fmt.ratio(flat)}x ${fmt.mib(at10?.rssKb ?? NaN)} at 10% (target ≤ ${TARGETS.rssFlatRatio}x)`,
    });
    row({
      label: 'every instance stored',
      value: `${fmt.int(memory.noctis.stored)}/${fmt.int(small.files)}`,
      target: 'all',
      pass: memory.noctis.ok,
      check: true,
      miss: `memory run: ${memory.noctis.problems.join('; ')}`,
    });
    row({ label: 'Noctis: instances/s (small, info)', value: fmt.ips(rate(memory.noctis.wallMs, small.files)), spread: `CPU ${fmt.ms((memory.noctis.cpuMs ?? NaN) / small.files)}/instance` });
    if (memory.storescp) {
      row({ label: 'storescp: instances/s (small, info)', value: memory.storescp.ok ? fmt.ips(rate(memory.storescp.wallMs, small.files)) : 'FAILED' });
      row({ label: 'ratio Noctis / storescp (small, info)', value: memory.storescp.ok ? fmt.ratio(memory.storescp.wallMs / memory.noctis.wallMs) : 'n/a' });
    }
  }

  section(`Context: sync costs on ${machine.tmpdir} (medians of ${syncs.samples}); the receiver syncs the file and its folder at once, then the log`);
  row({ label: `fdatasync of a new ${fmt.int(meanBytes)}-byte file (rx- file)`, value: fmt.ms(syncs.fdatasyncLargeMs) });
  row({ label: 'fsync of the folder after the rename (dicom/xx/)', value: fmt.ms(syncs.dirFsyncMs) });
  row({ label: 'fdatasync of a new 4 KiB file (≈ the WAL commit)', value: fmt.ms(syncs.fdatasyncSmallMs) });
  row({ label: 'per instance / ceiling for one association', value: fmt.ms(perInstanceSyncMs), spread: `≤ ${fmt.ips(1000 / perInstanceSyncMs)} from syncs alone` });

  const table = printTable();
  const durationS = (performance.now() - benchStart) / 1000;
  process.stdout.write('\n');
  process.stdout.write(`Machine: ${machine.cores} cores (${machine.cpu}), ${machine.totalRamGiB} GiB RAM, Node ${machine.node}, ${machine.kernel}, dcmtk ${machine.dcmtk}${machine.orthanc ? `, Orthanc ${machine.orthanc}` : ''}\n`);
  process.stdout.write(`Disk: ${machine.filesystem || machine.tmpdir}${machine.rotational ? `, ${machine.rotational}` : ''} (stores, outputs and corpora all under ${machine.tmpdir})\n`);
  process.stdout.write(`Corpus: ${corpus.dir} (${options.parallel} sub-folders)${small ? `; small: ${small.dir}` : ''}\n`);
  process.stdout.write(`Sent with: TCP_NODELAY=1 storescu -aec AE +sd +r 127.0.0.1 PORT DIR; storescp -od OUT PORT (fresh OUT each run);\n`);
  process.stdout.write(`  noctis scp --data-dir D --port 0 --host 127.0.0.1 --json (fresh D each run). Both at their default max PDU (storescp 16 KiB, Noctis 64 KiB).\n`);
  if (withOrthanc) process.stdout.write(`  Orthanc CONFIG with DicomAet ORTHANC (fresh storage and index each run, SyncStorageArea true, otherwise its defaults; stopped with SIGKILL after the send).\n`);
  process.stdout.write(`Times: storescu spawn to exit (the receivers were listening already). MB = 10^6 bytes; MiB = 2^20 bytes.\n`);
  process.stdout.write(`Flat RSS rule: VmRSS right after the last C-STORE answer ≤ ${TARGETS.rssFlatRatio} x VmRSS at the first sample with 10% of the answers in.\n\n`);
  process.stdout.write(`${table}\n\n`);
  if (profiled) {
    process.stdout.write(`CPU profile of a single-association run (${fmt.s(profiled.wallMs)}, ${fmt.ips(rate(profiled.wallMs))}, not in the figures): self time, largest first\n`);
    for (const p of profiled.profiles) {
      process.stdout.write(`  ${p.thread} (${fmt.s(p.totalMs)} profiled; ${path.basename(p.file)}):\n`);
      for (const t of p.top) process.stdout.write(`    ${fmt.ms(t.ms).padStart(12)}  ${fmt.pct(t.share).padStart(4)}  ${t.name}\n`);
    }
    process.stdout.write('\n');
  }
  const missed = rows.filter((r) => r.pass === false);
  if (missed.length === 0) process.stdout.write('All targets met.\n');
  else for (const r of missed) process.stdout.write(`${r.check ? 'FAILED' : 'Missed'}: ${r.miss ?? r.label}\n`);
  process.stdout.write(`Benchmark took ${durationS.toFixed(0)} s.\n`);

  if (options.json) {
    const figures = {
      date: new Date().toISOString(),
      durationS,
      machine,
      options,
      targets: TARGETS,
      corpora: { rate: corpus, memory: small },
      runs,
      ratios,
      memory,
      syncCosts: syncs,
      profiled,
      table: rows,
      missed: missed.map((r) => r.miss ?? r.label),
    };
    fs.writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(`Figures written to ${options.json}\n`);
  }
  return missed.some((r) => r.check) ? 1 : 0;
}

if (process.env[NETNS_ENV] === '1') {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark, removing its stores and outputs\n`);
      cleanup();
      process.exit(130);
    });
  }
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`bench:scp failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(cleanup);
