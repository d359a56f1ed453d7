// Helpers for the DICOM network tests: real dcmtk peers (run with TCP_NODELAY, as the libraries
// file says), a receiver on a free loopback port, and folders of every transfer syntax.
import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import type { Core } from '../electron/core';
import type { ReceiverConfig } from '../electron/core/network/receiver';
import { datasetOffset } from '../electron/core/dicom/part10';
import { convertTransferSyntax, TRANSFER_SYNTAX_UIDS, type Syntax } from './fixtures/convert';
import { writeStudy, type StudySpec } from './fixtures/generate';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a dcmtk tool to its end (never rejects: the exit code is part of what tests check). */
export function dcmtk(tool: string, args: string[], timeoutMs = 60_000): Promise<Run> & { child: ChildProcess } {
  let child!: ChildProcess;
  const done = new Promise<Run>((resolve) => {
    child = execFile(tool, args, { env: { ...process.env, TCP_NODELAY: '1' }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
  return Object.assign(done, { child });
}

const receiving = new Set<Core>();
// However a test ends (a failed assertion too), its receivers stop and their worker threads end:
// a listening socket left behind would keep the test file's process from exiting.
after(async () => {
  await Promise.all([...receiving].map((core) => core.shutdown()));
});

/** Starts the core's receiver on a free port of 127.0.0.1 and returns that port. */
export async function startReceiver(core: Core, overrides: Partial<ReceiverConfig> = {}): Promise<number> {
  receiving.add(core);
  const status = await core.receiver.start({ scpEnabled: true, scpPort: 0, scpBindAddress: '127.0.0.1', ...overrides });
  if (!status.listening) throw new Error(`receiver did not start: ${status.error}`);
  return status.port;
}

/** The data set part of a Part 10 file: what a C-STORE carries, whatever meta header a store wrote. */
export function datasetBytes(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  const offset = datasetOffset(bytes);
  if (offset === undefined) throw new Error(`cut Part 10 header: ${file}`);
  return bytes.subarray(offset);
}

export interface SyntaxCorpus {
  dir: string;
  /** SOPInstanceUID -> the transfer syntax UID its file is in. */
  syntaxOf: Map<string, string>;
  /** SOPInstanceUID -> its file. */
  fileOf: Map<string, string>;
  studyInstanceUids: string[];
}

/** One small study per syntax (CT for the grey ones, a US cine for JPEG baseline), converted with dcmtk. */
export function syntaxCorpus(dir: string, syntaxes: readonly Syntax[] = Object.keys(TRANSFER_SYNTAX_UIDS) as Syntax[]): SyntaxCorpus {
  const syntaxOf = new Map<string, string>();
  const fileOf = new Map<string, string>();
  const studyInstanceUids: string[] = [];
  for (const syntax of syntaxes) {
    const spec: StudySpec =
      syntax === 'jpeg-baseline'
        ? { patientName: `SYNTAX^${syntax}`, patientId: `TS-${syntax}`, modality: 'US', frames: 3, rows: 64, columns: 80 }
        : { patientName: `SYNTAX^${syntax}`, patientId: `TS-${syntax}`, slicesPerSeries: 2 };
    const study = writeStudy(path.join(dir, syntax), spec);
    studyInstanceUids.push(study.studyInstanceUid);
    for (const instance of study.instances) {
      convertTransferSyntax(instance.path, instance.path, syntax);
      syntaxOf.set(instance.sopInstanceUid, TRANSFER_SYNTAX_UIDS[syntax]);
      fileOf.set(instance.sopInstanceUid, instance.path);
    }
  }
  return { dir, syntaxOf, fileOf, studyInstanceUids };
}
