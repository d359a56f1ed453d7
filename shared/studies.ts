// The study browser's search: sort columns, filters and the summary of what matches.

/** The columns a study search can be sorted by: StudyRow's field names. */
export const STUDY_SORT_COLUMNS = [
  'patientName',
  'patientId',
  'patientBirthDate',
  'patientSex',
  'studyDate',
  'modalities',
  'studyDescription',
  'accessionNumber',
  'institutionName',
  'seriesCount',
  'instanceCount',
] as const;
export type StudySortColumn = (typeof STUDY_SORT_COLUMNS)[number];

export interface StudySort {
  column: StudySortColumn;
  direction: 'asc' | 'desc';
}

/** Without a sort: newest study first (study date and time, descending). */
export const DEFAULT_STUDY_SORT: StudySort = { column: 'studyDate', direction: 'desc' };

export interface StudyFilters {
  /** YYYYMMDD, inclusive; a study without a date does not match a date filter. */
  dateFrom?: string;
  dateTo?: string;
  /** Studies with a series of any of these modalities. */
  modalities?: string[];
  /** Studies whose InstitutionName is one of these (ignoring case). */
  institutions?: string[];
}

/** Figures for every study that matches a search (not only the page returned). */
export interface StudySummary {
  studies: number;
  series: number;
  images: number;
  /** Distinct patients. */
  patients: number;
  /** Sorted, without empty values. */
  modalities: string[];
  institutions: string[];
  /** Earliest and latest StudyDate (YYYYMMDD); '' when no matching study has one. */
  dateFrom: string;
  dateTo: string;
}
