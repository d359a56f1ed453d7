// Peers that cannot bind to loopback only (dcmtk's storescp, Orthanc) run with what talks to them
// in a private network namespace that has only `lo` (needs root): nothing is bound on a real
// interface. The script gets `args` as "$1", "$2"…; TCP_NODELAY=1 is set for dcmtk.
import { execFile, spawnSync } from 'node:child_process';

export interface NetnsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Why tests cannot make a namespace here (for `skip`), or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  const probe = spawnSync('unshare', ['--net', '--', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `cannot make a private network namespace (needs root, unshare and ip): ${(probe.stderr || String(probe.error)).trim()}`;
  return undefined;
}

export function inPrivateNetwork(script: string, args: string[], timeoutMs = 120_000): Promise<NetnsRun> {
  return new Promise((resolve) => {
    execFile(
      'unshare',
      ['--net', '--', 'bash', '-c', `set -u\nip link set lo up || exit 90\n${script}`, 'netns', ...args],
      { env: { ...process.env, TCP_NODELAY: '1' }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}
