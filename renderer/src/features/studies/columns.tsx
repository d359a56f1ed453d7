import type { ReactNode } from 'react';
import type { StudyRow } from '../../../../shared/api';
import type { StudySortColumn } from '../../../../shared/studies';
import { formatDate, formatPersonName } from '../../format';

export interface StudyColumn {
  id: StudySortColumn;
  label: string;
  /** Pixels: the table has a fixed layout, so rows keep one height. */
  width: number;
  numeric?: boolean;
  /** The first click sorts this way (newest, largest first for dates and counts). */
  firstDirection: 'asc' | 'desc';
  text: (study: StudyRow) => string;
  /** Defaults to `text`. */
  cell?: (study: StudyRow) => ReactNode;
}

export const STUDY_COLUMNS: readonly StudyColumn[] = [
  { id: 'patientName', label: 'Patient', width: 190, firstDirection: 'asc', text: (s) => formatPersonName(s.patientName) },
  { id: 'patientId', label: 'Patient ID', width: 110, firstDirection: 'asc', text: (s) => s.patientId },
  { id: 'patientBirthDate', label: 'Birth date', width: 94, firstDirection: 'asc', text: (s) => formatDate(s.patientBirthDate) },
  { id: 'patientSex', label: 'Sex', width: 50, firstDirection: 'asc', text: (s) => s.patientSex },
  { id: 'studyDate', label: 'Study date', width: 94, firstDirection: 'desc', text: (s) => formatDate(s.studyDate) },
  { id: 'modalities', label: 'Mod.', width: 74, firstDirection: 'asc', text: (s) => s.modalities.join(', ') },
  { id: 'studyDescription', label: 'Description', width: 200, firstDirection: 'asc', text: (s) => s.studyDescription },
  { id: 'accessionNumber', label: 'Accession', width: 136, firstDirection: 'asc', text: (s) => s.accessionNumber || s.localReference },
  { id: 'institutionName', label: 'Institution', width: 170, firstDirection: 'asc', text: (s) => s.institutionName },
  { id: 'seriesCount', label: 'Series', width: 64, numeric: true, firstDirection: 'desc', text: (s) => String(s.seriesCount) },
  {
    id: 'instanceCount',
    label: 'Images',
    width: 86,
    numeric: true,
    firstDirection: 'desc',
    text: (s) => String(s.instanceCount),
    cell: (s) => (
      <>
        {s.conflictCount > 0 && (
          <span
            className="conflict-badge"
            data-testid="study-conflicts"
            title={`${s.conflictCount} file(s) with the same instance UID but other content were kept beside this study's images`}
          >
            ⚠ {s.conflictCount}
          </span>
        )}
        {s.instanceCount}
      </>
    ),
  },
];

export const TABLE_WIDTH = STUDY_COLUMNS.reduce((sum, c) => sum + c.width, 0);
