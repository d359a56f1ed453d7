import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A fixed set of worker threads running one entry module; tasks go to the first idle worker.
 * Callers bound how many tasks they have in flight (the import keeps a small window), so the
 * queue here stays short.
 */
export class WorkerPool<Task, Result> {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Array<{ task: Task; resolve: (r: Result) => void; reject: (e: Error) => void }> = [];
  private readonly running = new Map<Worker, { id: number; resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly entry: WorkerEntry,
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(this.entry.file, { workerData: this.entry.workerData });
    worker.on('message', (message: { id: number; result: Result }) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      job?.resolve(message.result);
      this.release(worker);
    });
    // A worker that dies (an exception that escaped, out of memory) fails its task only: it is
    // replaced and the pool goes on.
    worker.once('error', (error) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      job?.reject(error);
    });
    worker.once('exit', () => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      job?.reject(new Error('worker exited'));
      this.all.splice(this.all.indexOf(worker), 1);
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      if (!this.closed) {
        this.spawn();
        this.dispatch();
      }
    });
    this.all.push(worker);
    this.idle.push(worker);
  }

  run(task: Task): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('worker pool closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private release(worker: Worker) {
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch() {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { task, resolve, reject } = this.queue.shift()!;
      const id = this.nextId++;
      this.running.set(worker, { id, resolve, reject });
      worker.postMessage({ id, task });
    }
  }
}

export interface WorkerEntry {
  file: string;
  workerData?: unknown;
}

/**
 * The import worker's entry: the bundled `importWorker.js` beside the running bundle, or the
 * TypeScript source through a small tsx boot file when running from the sources.
 */
export function importWorkerEntry(): WorkerEntry {
  if (__filename.endsWith('.ts')) {
    return { file: path.join(__dirname, 'worker-boot.cjs'), workerData: { entry: path.join(__dirname, 'worker.ts') } };
  }
  // Packaged: the worker file is unpacked beside the asar archive (electron-builder.yml).
  const dir = __dirname.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  for (const candidate of [path.join(dir, 'importWorker.js'), path.join(dir, '..', 'importWorker.js')]) {
    if (fs.existsSync(candidate)) return { file: candidate };
  }
  throw new Error(`importWorker.js not found beside ${__dirname}: run npm run build`);
}

/** Worker threads for CPU work: one per core, leaving the main thread its share on big machines. */
export function defaultPoolSize(): number {
  const cores = os.availableParallelism();
  return Math.max(2, Math.min(cores <= 4 ? cores : cores - 1, 8));
}
