import { useEffect, useState } from 'react';
import type { StudyRow } from '../../../../shared/api';
import { api, errorInfo } from '../../api/client';
import { formatDate, formatPersonName } from '../../format';

interface Props {
  selected: string | null;
  onOpen: (study: StudyRow) => void;
  onError: (error: unknown) => void;
}

export function StudyList({ selected, onOpen, onError }: Props) {
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<StudyRow[]>([]);
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);

  // New studies (an import in progress, a study received) refresh the list.
  useEffect(() => api().on('studies.changed', () => setVersion((v) => v + 1)), []);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api()
        .invoke('studies.search', { query, limit: 500 })
        .then((result) => {
          if (!current) return;
          setRows(result.studies);
          setTotal(result.total);
        })
        .catch((e: unknown) => current && onError(errorInfo(e)));
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, version, onError]);

  return (
    <section className="study-list">
      <input
        data-testid="study-search"
        type="search"
        placeholder="Search name, patient ID or accession"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoFocus
      />
      <div className="study-count">
        {total} {total === 1 ? 'study' : 'studies'}
      </div>
      <table>
        <thead>
          <tr>
            <th>Patient</th>
            <th>ID</th>
            <th>Date</th>
            <th>Mod.</th>
            <th>Description</th>
            <th className="num">Images</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr
              key={s.studyInstanceUid}
              data-testid="study-row"
              data-study-uid={s.studyInstanceUid}
              className={s.studyInstanceUid === selected ? 'selected' : undefined}
              onClick={() => onOpen(s)}
            >
              <td>{formatPersonName(s.patientName)}</td>
              <td>{s.patientId}</td>
              <td>{formatDate(s.studyDate)}</td>
              <td>{s.modalities.join(', ')}</td>
              <td>{s.studyDescription}</td>
              <td className="num">
                {s.conflictCount > 0 && (
                  <span
                    className="conflict-badge"
                    data-testid="study-conflicts"
                    title={`${s.conflictCount} file(s) with the same instance UID but other content were kept beside this study's images`}
                  >
                    ⚠ {s.conflictCount}
                  </span>
                )}{' '}
                {s.instanceCount}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty">No studies. Import a folder with `noctis import`.</p>}
    </section>
  );
}
