import type { StudySummary } from '../../../../shared/studies';
import { formatDate } from '../../format';

const count = new Intl.NumberFormat('en');

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** Figures for everything that matches the search, not only the rows in view. */
export function StudySummaryLine({ summary }: { summary: StudySummary | null }) {
  if (!summary) return <div className="study-summary" data-testid="study-summary" aria-busy />;
  const { studies, series, images, patients, modalities, institutions, dateFrom, dateTo } = summary;
  return (
    <div className="study-summary" data-testid="study-summary" aria-live="polite">
      <span>
        <b data-field="studies" data-value={studies}>
          {count.format(studies)}
        </b>{' '}
        {plural(studies, 'study', 'studies')}
      </span>
      <span>
        <b data-field="patients" data-value={patients}>
          {count.format(patients)}
        </b>{' '}
        {plural(patients, 'patient', 'patients')}
      </span>
      <span>
        <b data-field="series" data-value={series}>
          {count.format(series)}
        </b>{' '}
        series
      </span>
      <span>
        <b data-field="images" data-value={images}>
          {count.format(images)}
        </b>{' '}
        {plural(images, 'image', 'images')}
      </span>
      <span data-field="modalities" data-value={modalities.join(',')} title="Modalities">
        {modalities.join(', ') || 'no modality'}
      </span>
      <span data-field="institutions" data-value={institutions.length} title={institutions.join('\n')}>
        {institutions.length === 1 ? institutions[0] : `${count.format(institutions.length)} ${plural(institutions.length, 'institution', 'institutions')}`}
      </span>
      {dateFrom && (
        <span title="Study dates">
          <span data-field="dateFrom" data-value={dateFrom}>
            {formatDate(dateFrom)}
          </span>
          {' – '}
          <span data-field="dateTo" data-value={dateTo}>
            {formatDate(dateTo)}
          </span>
        </span>
      )}
    </div>
  );
}
