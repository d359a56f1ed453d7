// The network node's rows: DICOM nodes, send jobs with their reports, and the receiver's state.
import type { DicomNode, ReceiverStatus, SendReport, SendStatus } from '../../../shared/network';
import { NoctisError } from '../errors';
import type { Db } from './db';
import { processAlive } from './runs';

interface NodeRow {
  id: number;
  ae_title: string;
  host: string;
  port: number;
  description: string;
  created_at: string;
}

const toNode = (r: NodeRow): DicomNode => ({ nodeId: r.id, aeTitle: r.ae_title, host: r.host, port: r.port, description: r.description, createdAt: r.created_at });

export function createNodes(db: Db) {
  const list = db.prepare<[], NodeRow>('SELECT * FROM dicom_nodes ORDER BY ae_title, host, port');
  const get = db.prepare<[number], NodeRow>('SELECT * FROM dicom_nodes WHERE id = ?');
  const insert = db.prepare<[string, string, number, string, string]>(
    'INSERT INTO dicom_nodes (ae_title, host, port, description, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, number, string, number]>('UPDATE dicom_nodes SET ae_title = ?, host = ?, port = ?, description = ? WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM dicom_nodes WHERE id = ?');

  const unique = <T>(write: () => T, details: Record<string, unknown>): T => {
    try {
      return write();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new NoctisError('NODE_EXISTS', details);
      throw err;
    }
  };
  const found = (nodeId: number): DicomNode => {
    const row = get.get(nodeId);
    if (!row) throw new NoctisError('NODE_NOT_FOUND', { nodeId });
    return toNode(row);
  };

  return {
    list: () => list.all().map(toNode),
    get: found,
    create(node: Omit<DicomNode, 'nodeId' | 'createdAt'>): DicomNode {
      const id = unique(() => insert.run(node.aeTitle, node.host, node.port, node.description, new Date().toISOString()).lastInsertRowid, { ...node });
      return found(Number(id));
    },
    update(nodeId: number, change: Partial<Omit<DicomNode, 'nodeId' | 'createdAt'>>): DicomNode {
      const next = { ...found(nodeId), ...change };
      unique(() => update.run(next.aeTitle, next.host, next.port, next.description, nodeId), { ...change });
      return found(nodeId);
    },
    remove(nodeId: number): DicomNode {
      const node = found(nodeId);
      remove.run(nodeId);
      return node;
    },
  };
}

interface SendRow {
  id: string;
  status: SendStatus | 'interrupted';
  pid: number;
  report: string;
}

export function createSendHistory(db: Db) {
  const insert = db.prepare<[string, string, string, number, string, string, string]>(
    'INSERT INTO send_jobs (id, started_at, status, pid, destination, study_uid, report) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const save = db.prepare<[string | null, string, string, string]>('UPDATE send_jobs SET finished_at = ?, status = ?, report = ? WHERE id = ?');
  const list = db.prepare<[number], SendRow>('SELECT id, status, pid, report FROM send_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?');
  const get = db.prepare<[string], SendRow>('SELECT id, status, pid, report FROM send_jobs WHERE id = ?');

  /** A job "running" in a process that is gone was cut short: it reads as failed. */
  const toReport = (row: SendRow): SendReport => {
    const report = JSON.parse(row.report) as SendReport;
    if (row.status === 'running' && row.pid !== process.pid && !processAlive(row.pid)) {
      return { ...report, status: 'failed', error: report.error ?? 'Interrupted: the process sending it stopped.' };
    }
    return report;
  };

  return {
    start(report: SendReport): void {
      const { aeTitle, host, port } = report.destination;
      insert.run(report.jobId, report.startedAt, report.status, process.pid, `${aeTitle}@${host}:${port}`, report.studyInstanceUid, JSON.stringify(report));
    },
    save(report: SendReport): void {
      save.run(report.status === 'running' ? null : new Date().toISOString(), report.status, JSON.stringify(report), report.jobId);
    },
    list: (limit: number) => list.all(limit).map(toReport),
    get(jobId: string): SendReport {
      const row = get.get(jobId);
      if (!row) throw new NoctisError('SEND_NOT_FOUND', { jobId });
      return toReport(row);
    },
  };
}

/** The receiver's status as the process running it last wrote it, if that process still runs. */
export function createReceiverState(db: Db) {
  const write = db.prepare<[number, string, string]>(
    'INSERT INTO receiver_state (id, pid, status, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, status = excluded.status, updated_at = excluded.updated_at',
  );
  const read = db.prepare<[], { pid: number; status: string }>('SELECT pid, status FROM receiver_state WHERE id = 1');
  const clear = db.prepare<[number]>('DELETE FROM receiver_state WHERE pid = ?');
  return {
    write: (status: ReceiverStatus) => write.run(process.pid, JSON.stringify(status), new Date().toISOString()),
    /** Null when no running process receives. */
    read(): (ReceiverStatus & { pid: number }) | null {
      const row = read.get();
      if (!row || (row.pid !== process.pid && !processAlive(row.pid))) return null;
      return { ...(JSON.parse(row.status) as ReceiverStatus), pid: row.pid };
    },
    /** This process stopped receiving. */
    clear: () => clear.run(process.pid),
  };
}

export type Nodes = ReturnType<typeof createNodes>;
export type SendHistory = ReturnType<typeof createSendHistory>;
export type ReceiverState = ReturnType<typeof createReceiverState>;
