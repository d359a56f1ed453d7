import { useEffect, useState } from 'react';
import type { ReceivedNotice } from '../../../../shared/network';
import { api } from '../../api/client';
import { formatPersonName } from '../../format';

const SHOWN_MS = 10_000;

/** A short note for each association that stored studies (they are in the list already). */
export function ReceivedNotices() {
  const [notices, setNotices] = useState<Array<ReceivedNotice & { id: number }>>([]);

  useEffect(() => {
    let next = 0;
    return api().on('studies.received', (notice) => {
      const id = ++next;
      setNotices((list) => [...list.slice(-2), { ...notice, id }]);
      setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), SHOWN_MS);
    });
  }, []);

  if (notices.length === 0) return null;
  return (
    <div className="received-notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className="received-notice" data-testid="received-notice" data-aet={n.callingAeTitle}>
          <strong>
            Received {n.instances} image{n.instances === 1 ? '' : 's'} from {n.callingAeTitle}
          </strong>
          {n.failures > 0 && <span className="warn"> ({n.failures} failed)</span>}
          <ul>
            {n.studies.slice(0, 3).map((s) => (
              <li key={s.studyInstanceUid}>
                {formatPersonName(s.patientName)} {s.studyDescription && `· ${s.studyDescription}`}
              </li>
            ))}
            {n.studies.length > 3 && <li>and {n.studies.length - 3} more studies</li>}
          </ul>
        </div>
      ))}
    </div>
  );
}
