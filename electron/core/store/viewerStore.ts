// What the viewer keeps: each user's measurements per image, and one thumbnail per series.
import type { Measurement, MeasurementTool } from '../../../shared/viewer';
import type { Db } from './db';

interface MeasurementRow {
  id: string;
  sop_uid: string;
  frame: number;
  study_uid: string;
  tool: MeasurementTool;
  data: string;
  label: string;
  created_at: string;
  updated_at: string;
}

const toMeasurement = (r: MeasurementRow): Measurement => ({
  measurementId: r.id,
  studyInstanceUid: r.study_uid,
  sopInstanceUid: r.sop_uid,
  frame: r.frame,
  tool: r.tool,
  data: JSON.parse(r.data) as Record<string, unknown>,
  label: r.label,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createMeasurements(db: Db) {
  const list = db.prepare<[number, string], MeasurementRow>('SELECT * FROM annotations WHERE user_id = ? AND study_uid = ? ORDER BY created_at, id');
  const get = db.prepare<[string], MeasurementRow & { user_id: number }>('SELECT * FROM annotations WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO annotations (id, user_id, sop_uid, frame, study_uid, tool, data, label, created_at, updated_at)
     VALUES (@id, @userId, @sopUid, @frame, @studyUid, @tool, @data, @label, @now, @now)
     ON CONFLICT(id) DO UPDATE SET data = excluded.data, label = excluded.label, updated_at = excluded.updated_at
     WHERE annotations.user_id = excluded.user_id`,
  );
  const remove = db.prepare<[string, number]>('DELETE FROM annotations WHERE id = ? AND user_id = ?');
  return {
    /** This user's measurements on a study, oldest first. */
    list: (userId: number, studyInstanceUid: string) => list.all(userId, studyInstanceUid).map(toMeasurement),
    /** Creates or updates; another user's measurement with the same id is left alone (undefined). */
    save(userId: number, m: Omit<Measurement, 'createdAt' | 'updatedAt'>): Measurement | undefined {
      upsert.run({
        id: m.measurementId,
        userId,
        sopUid: m.sopInstanceUid,
        frame: m.frame,
        studyUid: m.studyInstanceUid,
        tool: m.tool,
        data: JSON.stringify(m.data),
        label: m.label,
        now: new Date().toISOString(),
      });
      const row = get.get(m.measurementId);
      return row && row.user_id === userId ? toMeasurement(row) : undefined;
    },
    remove: (userId: number, measurementId: string) => remove.run(measurementId, userId).changes > 0,
  };
}

export function createThumbnails(db: Db) {
  const get = db.prepare<[string], { png: Buffer }>('SELECT png FROM series_thumbnails WHERE series_uid = ?');
  const put = db.prepare<[string, Buffer, string]>('INSERT OR REPLACE INTO series_thumbnails (series_uid, png, made_at) VALUES (?, ?, ?)');
  return {
    get: (seriesInstanceUid: string) => get.get(seriesInstanceUid)?.png,
    put: (seriesInstanceUid: string, png: Buffer) => put.run(seriesInstanceUid, png, new Date().toISOString()),
  };
}

export type Measurements = ReturnType<typeof createMeasurements>;
export type Thumbnails = ReturnType<typeof createThumbnails>;
