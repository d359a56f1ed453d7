// A real Orthanc (Debian's `orthanc`) as a test peer. Its DICOM port cannot bind to loopback
// only, so Orthanc and the command that talks to it run in a private network namespace that has
// only `lo` (needs root): nothing is ever bound on a real interface, and fixed ports are safe.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetOffset } from '../../electron/core/dicom/part10';

export const ORTHANC_HTTP_PORT = 8042;
export const ORTHANC_DICOM_PORT = 4242;
export const ORTHANC_HTTP = `http://127.0.0.1:${ORTHANC_HTTP_PORT}`;
/** `node ORTHANC_REST get|post|dump|wait ...`: the REST client to use inside the namespace. */
export const ORTHANC_REST = path.join(__dirname, 'orthanc-rest.mjs');

export interface OrthancRun {
  /** Argv of the command run inside the namespace (no shell: quote nothing). */
  command: string[];
  /** Added to the environment (which also gets ORTHANC_HTTP, ORTHANC_DICOM_PORT, ORTHANC_AET). */
  env?: Record<string, string>;
  /** Orthanc's AE title (default ORTHANC); associations must call it by this title. */
  aet?: string;
  /** After the command, every stored instance is written here as <SOPInstanceUID>.dcm. */
  dumpDir?: string;
  /** For the whole run (default 60 s). */
  timeoutMs?: number;
}

export interface OrthancResult {
  /** The command's exit status (128 + n if a signal ended it). */
  code: number;
  stdout: string;
  stderr: string;
  orthancLog: string;
}

const SCRIPT = String.raw`
set -u
dir=$1 orthanc=$2 node=$3 rest=$4 dump=$5
shift 5
ip link set lo up || exit 1
"$orthanc" "$dir/orthanc.json" >"$dir/orthanc.log" 2>&1 &
pid=$!
# SIGKILL: a clean stop takes Orthanc 1.10 over 3 s, and its storage is thrown away anyway.
stop() { kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
"$node" "$rest" wait 20000 "$pid" || { stop; exit 1; }
"$@"
echo $? >"$dir/code"
status=0
if [ -n "$dump" ]; then "$node" "$rest" dump "$dump" || status=1; fi
stop
exit $status
`;

function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why Orthanc peer tests cannot run here (for t.skip), or undefined when they can. */
export function orthancAvailable(): string | undefined {
  if (!findTool('Orthanc')) return 'Orthanc is not installed (apt-get install orthanc)';
  if (!findTool('unshare')) return 'unshare is missing (util-linux)';
  if (!findTool('ip')) return 'ip is missing (iproute2)';
  const probe = spawnSync('unshare', ['--net', '--', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return `cannot make a network namespace (needs root): ${(probe.stderr || String(probe.error)).trim()}`;
  return undefined;
}

/**
 * Starts a fresh Orthanc (storage in a temp dir, removed afterwards) in a private network
 * namespace, runs `command` there once Orthanc answers, then stops Orthanc. Resolves with the
 * command's exit status and output; rejects if Orthanc cannot start, the dump fails, or time runs out.
 */
export async function runWithOrthanc(options: OrthancRun): Promise<OrthancResult> {
  const orthanc = findTool('Orthanc');
  if (!orthanc) throw new Error('Orthanc is not installed');
  const aet = options.aet ?? 'ORTHANC';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noctis-orthanc-'));
  const config = {
    Name: 'noctis-test',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    Plugins: [],
    HttpPort: ORTHANC_HTTP_PORT,
    DicomPort: ORTHANC_DICOM_PORT,
    DicomAet: aet,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    // Any calling AE may store or echo without being declared; the called AE must be ours, as at a real PACS.
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowEcho: true,
    DicomCheckModalityHost: false,
    DicomCheckCalledAet: true,
    SaveJobs: false,
  };
  fs.writeFileSync(path.join(dir, 'orthanc.json'), JSON.stringify(config, null, 2));
  const env = {
    ...process.env,
    ...options.env,
    ORTHANC_HTTP,
    ORTHANC_DICOM_PORT: String(ORTHANC_DICOM_PORT),
    ORTHANC_AET: aet,
    // dcmtk disables Nagle's algorithm on its sockets when this is set: no 40 ms stalls per PDU.
    TCP_NODELAY: '1',
  };
  const args = ['--net', '--', 'bash', '-c', SCRIPT, 'orthanc-peer', dir, orthanc, process.execPath, ORTHANC_REST, options.dumpDir ?? '', ...options.command];
  // Its own process group, so a timeout kills Orthanc too.
  const child = spawn('unshare', args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, timeoutMs);
  try {
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : '');
    const result = {
      code: Number(read('code').trim() || -1),
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      orthancLog: read('orthanc.log'),
    };
    if (timedOut || status !== 0 || read('code') === '') {
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `failed (exit ${String(status)})`;
      throw new Error(`runWithOrthanc ${why}\n--- stderr\n${result.stderr}\n--- Orthanc log\n${result.orthancLog.slice(-4000)}`);
    }
    return result;
  } finally {
    clearTimeout(timer);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SHA-256 (hex) of a Part 10 file's data set, without the meta header: a receiver such as Orthanc
 * rewrites the meta header (its own implementation UID and version) but keeps the data set.
 */
export function datasetDigest(file: Buffer): string {
  const offset = datasetOffset(file);
  if (offset === undefined) throw new Error('truncated Part 10 meta header');
  return createHash('sha256').update(file.subarray(offset)).digest('hex');
}
