// The date filter's choices, as the DICOM dates (YYYYMMDD, local time) the search takes.
import type { StudyFilters } from '../../../../shared/studies';

export type DatePreset = 'any' | 'today' | '7d' | '30d' | 'range';

export const DATE_PRESETS: ReadonlyArray<{ value: DatePreset; label: string }> = [
  { value: 'any', label: 'Any date' },
  { value: 'today', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'range', label: 'From – to' },
];

export interface DateFilter {
  preset: DatePreset;
  /** The range's ends as an <input type="date"> holds them (YYYY-MM-DD), '' when open. */
  from: string;
  to: string;
}

export const ANY_DATE: DateFilter = { preset: 'any', from: '', to: '' };

/** YYYYMMDD of the local day `daysBack` days before `now`. */
export function dicomDay(now: Date, daysBack = 0): string {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
  return `${day.getFullYear()}${String(day.getMonth() + 1).padStart(2, '0')}${String(day.getDate()).padStart(2, '0')}`;
}

/** The search's dateFrom/dateTo for a choice; a range with its ends swapped is put right. */
export function dateBounds(filter: DateFilter, now = new Date()): Pick<StudyFilters, 'dateFrom' | 'dateTo'> {
  switch (filter.preset) {
    case 'today':
      return { dateFrom: dicomDay(now), dateTo: dicomDay(now) };
    case '7d':
      return { dateFrom: dicomDay(now, 6), dateTo: dicomDay(now) };
    case '30d':
      return { dateFrom: dicomDay(now, 29), dateTo: dicomDay(now) };
    case 'range': {
      const from = filter.from.replace(/-/g, '');
      const to = filter.to.replace(/-/g, '');
      if (from && to && from > to) return { dateFrom: to, dateTo: from };
      return { ...(from ? { dateFrom: from } : {}), ...(to ? { dateTo: to } : {}) };
    }
    default:
      return {};
  }
}
