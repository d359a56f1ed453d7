import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { FacilityRow } from '../../../../shared/auth';
import { api } from '../../api/client';

/** One InstitutionName a line (commas also split), as typed; blanks dropped. */
export function parseInstitutions(text: string): string[] {
  return [...new Set(text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))];
}

/** Facilities, and the InstitutionName values whose studies belong to each. */
export function FacilitiesPanel({ onError }: { onError: (e: unknown) => void }) {
  const [facilities, setFacilities] = useState<FacilityRow[] | null>(null);
  const [name, setName] = useState('');
  const [institutions, setInstitutions] = useState('');
  const [editing, setEditing] = useState<{ facilityId: number; institutions: string } | null>(null);

  const load = useCallback(() => {
    api().invoke('facilities.list', {}).then(setFacilities).catch(onError);
  }, [onError]);
  useEffect(load, [load]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    api()
      .invoke('facilities.create', { name: name.trim(), institutions: parseInstitutions(institutions) })
      .then(() => {
        setName('');
        setInstitutions('');
        load();
      }, onError);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    api()
      .invoke('facilities.update', { facilityId: editing.facilityId, institutions: parseInstitutions(editing.institutions) })
      .then(() => {
        setEditing(null);
        load();
      }, onError);
  };

  return (
    <section className="facilities-panel" data-testid="facilities-panel">
      <header className="admin-header">
        <h2>Facilities</h2>
      </header>
      <p className="hint">A study belongs to the facility listing its InstitutionName (case ignored), else to the facility of whoever imported it.</p>
      <table className="admin-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Institutions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {facilities?.map((f) => (
            <tr key={f.facilityId} data-testid="facility-row" data-name={f.name}>
              <td>{f.name}</td>
              <td>
                {editing?.facilityId === f.facilityId ? (
                  <form className="inline-form" onSubmit={save}>
                    <textarea
                      data-testid="facility-edit-institutions"
                      aria-label={`Institutions of ${f.name}, one a line`}
                      rows={3}
                      autoFocus
                      value={editing.institutions}
                      onChange={(e) => setEditing({ ...editing, institutions: e.target.value })}
                    />
                    <button type="submit" data-testid="facility-save">
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  f.institutions.join(', ') || '–'
                )}
              </td>
              <td className="row-actions">
                {editing?.facilityId !== f.facilityId && (
                  <button data-testid="facility-edit" onClick={() => setEditing({ facilityId: f.facilityId, institutions: f.institutions.join('\n') })}>
                    Edit institutions
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {facilities?.length === 0 && <p className="hint">No facility yet.</p>}
      <form className="admin-form" data-testid="facility-form" onSubmit={create} aria-label="New facility">
        <h3>New facility</h3>
        <label>
          Name
          <input data-testid="facility-form-name" autoComplete="off" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Institution names (one a line, as in the files)
          <textarea data-testid="facility-form-institutions" rows={3} value={institutions} onChange={(e) => setInstitutions(e.target.value)} />
        </label>
        <div className="form-actions">
          <button type="submit" data-testid="facility-create" disabled={!name.trim()}>
            Create facility
          </button>
        </div>
      </form>
    </section>
  );
}
