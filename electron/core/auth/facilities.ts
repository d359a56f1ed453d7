// Facilities and the InstitutionName → facility mapping that decides which studies a
// facility_user may see. All SQL for them lives here.
import type { FacilityRow } from '../../../shared/auth';
import { NoctisError } from '../errors';
import type { Db } from '../store/db';

/** How names are compared: trimmed, case-insensitive (files spell institutions inconsistently). */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toUpperCase();
}

interface FacilityRecord {
  id: number;
  name: string;
  created_at: string;
  institutions: string | null;
}

export function createFacilities(db: Db) {
  const select = `SELECT f.id, f.name, f.created_at,
      (SELECT json_group_array(institution) FROM (SELECT institution FROM facility_institutions WHERE facility_id = f.id ORDER BY institution)) AS institutions
    FROM facilities f`;
  const all = db.prepare<[], FacilityRecord>(`${select} ORDER BY f.name`);
  const byId = db.prepare<[number], FacilityRecord>(`${select} WHERE f.id = ?`);
  const byKey = db.prepare<[string], { id: number }>('SELECT id FROM facilities WHERE name_key = ?');
  const insert = db.prepare<[string, string, string]>('INSERT INTO facilities (name, name_key, created_at) VALUES (?, ?, ?)');
  const rename = db.prepare<[string, string, number]>('UPDATE facilities SET name = ?, name_key = ? WHERE id = ?');
  const clearInstitutions = db.prepare<[number]>('DELETE FROM facility_institutions WHERE facility_id = ?');
  const institutionOwner = db.prepare<[string], { facility_id: number }>('SELECT facility_id FROM facility_institutions WHERE institution_key = ?');
  const addInstitution = db.prepare<[string, string, number]>(
    'INSERT INTO facility_institutions (institution_key, institution, facility_id) VALUES (?, ?, ?)',
  );
  // The mapping is the admin's explicit word: it wins over the importing user's facility.
  const institutionsInStudies = db.prepare<[], { institution: string }>("SELECT DISTINCT institution FROM studies WHERE institution <> ''");
  const assignStudies = db.prepare<[number, string]>('UPDATE studies SET facility_id = ? WHERE institution = ?');

  const toRow = (r: FacilityRecord): FacilityRow => ({
    facilityId: r.id,
    name: r.name,
    institutions: r.institutions ? (JSON.parse(r.institutions) as string[]) : [],
    createdAt: r.created_at,
  });

  const setInstitutions = (facilityId: number, institutions: readonly string[]) => {
    clearInstitutions.run(facilityId);
    const seen = new Set<string>();
    for (const institution of institutions) {
      const key = nameKey(institution);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const owner = institutionOwner.get(key);
      if (owner && owner.facility_id !== facilityId) throw new NoctisError('FACILITY_EXISTS', { institution });
      addInstitution.run(key, institution.trim(), facilityId);
    }
    // Keys are compared in JS: SQLite's upper() knows only ASCII.
    for (const { institution } of institutionsInStudies.all()) {
      if (seen.has(nameKey(institution))) assignStudies.run(facilityId, institution);
    }
  };

  const get = (facilityId: number): FacilityRow => {
    const row = byId.get(facilityId);
    if (!row) throw new NoctisError('FACILITY_NOT_FOUND', { facilityId });
    return toRow(row);
  };

  return {
    list: (): FacilityRow[] => all.all().map(toRow),
    get,
    findByName: (name: string): number | undefined => byKey.get(nameKey(name))?.id,
    create: db.transaction((name: string, institutions: readonly string[] = []): FacilityRow => {
      if (byKey.get(nameKey(name))) throw new NoctisError('FACILITY_EXISTS', { name });
      const id = Number(insert.run(name.trim(), nameKey(name), new Date().toISOString()).lastInsertRowid);
      setInstitutions(id, institutions);
      return get(id);
    }),
    update: db.transaction((facilityId: number, changes: { name?: string; institutions?: readonly string[] }): FacilityRow => {
      get(facilityId);
      if (changes.name !== undefined) {
        const other = byKey.get(nameKey(changes.name));
        if (other && other.id !== facilityId) throw new NoctisError('FACILITY_EXISTS', { name: changes.name });
        rename.run(changes.name.trim(), nameKey(changes.name), facilityId);
      }
      if (changes.institutions !== undefined) setInstitutions(facilityId, changes.institutions);
      return get(facilityId);
    }),
  };
}

export type Facilities = ReturnType<typeof createFacilities>;
