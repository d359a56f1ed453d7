import { DATE_PRESETS, type DateFilter, type DatePreset } from './dateFilter';

interface Props {
  date: DateFilter;
  onDate: (date: DateFilter) => void;
  /** Every modality and institution seen in the store so far (the choices). */
  modalityChoices: readonly string[];
  institutionChoices: readonly string[];
  modalities: readonly string[];
  onModalities: (modalities: string[]) => void;
  institution: string;
  onInstitution: (institution: string) => void;
  onClear: () => void;
}

export function StudyFilterBar({ date, onDate, modalityChoices, institutionChoices, modalities, onModalities, institution, onInstitution, onClear }: Props) {
  const filtered = date.preset !== 'any' || modalities.length > 0 || institution !== '';
  const toggle = (modality: string) =>
    onModalities(modalities.includes(modality) ? modalities.filter((m) => m !== modality) : [...modalities, modality].sort());
  return (
    <div className="study-filters" role="group" aria-label="Filters">
      <label>
        <span className="visually-hidden">Study date</span>
        <select data-testid="study-date-preset" value={date.preset} onChange={(e) => onDate({ ...date, preset: e.target.value as DatePreset })}>
          {DATE_PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {date.preset === 'range' && (
        <span className="study-date-range">
          <input
            type="date"
            data-testid="study-date-from"
            aria-label="From"
            value={date.from}
            max={date.to || undefined}
            onChange={(e) => onDate({ ...date, from: e.target.value })}
          />
          –
          <input
            type="date"
            data-testid="study-date-to"
            aria-label="To"
            value={date.to}
            min={date.from || undefined}
            onChange={(e) => onDate({ ...date, to: e.target.value })}
          />
        </span>
      )}
      <span className="study-modalities" role="group" aria-label="Modalities">
        {modalityChoices.map((modality) => (
          <button
            key={modality}
            type="button"
            data-testid="study-modality"
            data-modality={modality}
            aria-pressed={modalities.includes(modality)}
            onClick={() => toggle(modality)}
          >
            {modality}
          </button>
        ))}
      </span>
      <label>
        <span className="visually-hidden">Institution</span>
        <select data-testid="study-institution" value={institution} onChange={(e) => onInstitution(e.target.value)}>
          <option value="">All institutions</option>
          {institutionChoices.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {filtered && (
        <button type="button" className="study-filters-clear" data-testid="study-filters-clear" onClick={onClear}>
          Clear filters
        </button>
      )}
    </div>
  );
}
