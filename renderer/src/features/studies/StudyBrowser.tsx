import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { StudyRow } from '../../../../shared/api';
import { DEFAULT_STUDY_SORT, type StudyFilters, type StudySort, type StudySortColumn } from '../../../../shared/studies';
import { STUDY_COLUMNS } from './columns';
import { ANY_DATE, dateBounds, type DateFilter } from './dateFilter';
import { StudyFilterBar } from './StudyFilterBar';
import { StudySummaryLine } from './StudySummaryLine';
import { ROW_HEIGHT, StudyTable } from './StudyTable';
import { useStudySearch } from './useStudySearch';
import './studyBrowser.css';

/** Typing waits this long for the next key before it searches. */
const DEBOUNCE_MS = 150;
/** Rows rendered beyond each edge of the view, so that scrolling shows no gap. */
const OVERSCAN = 12;

interface Props {
  /** The study open in the viewer. */
  selected: string | null;
  onOpen: (study: StudyRow) => void;
  onError: (error: unknown) => void;
}

/** What is scrolled into view, for one search (a new search starts at the top). */
interface View {
  key: string;
  top: number;
  height: number;
}

/**
 * The study browser: search as you type (name components, patient ID, accession, local reference),
 * filters, the summary of what matches, and a virtualised, sortable table read a page at a time.
 * Arrow keys move the cursor (from the search field too), Enter opens the study under it.
 */
export function StudyBrowser({ selected, onOpen, onError }: Props) {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [date, setDate] = useState<DateFilter>(ANY_DATE);
  const [modalities, setModalities] = useState<string[]>([]);
  const [institution, setInstitution] = useState('');
  const [sort, setSort] = useState<StudySort>(DEFAULT_STUDY_SORT);
  const [view, setView] = useState<View>({ key: '', top: 0, height: 600 });
  const [cursor, setCursor] = useState({ key: '', index: -1 });

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const filters = useMemo<StudyFilters>(
    () => ({
      ...dateBounds(date),
      ...(modalities.length > 0 ? { modalities } : {}),
      ...(institution ? { institutions: [institution] } : {}),
    }),
    [date, modalities, institution],
  );
  const spec = useMemo(() => ({ query, filters, sort }), [query, filters, sort]);
  const specKey = JSON.stringify(spec);

  // A new search starts at the top, with no cursor.
  const top = view.key === specKey ? view.top : 0;
  const height = view.height;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const lastInView = Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN;
  const index = cursor.key === specKey ? cursor.index : -1;

  // The filters offer every modality and institution seen so far: choosing one hides no other.
  const { total, summary, seen: choices, rowAt, searching } = useStudySearch(spec, first, lastInView, onError);
  const last = Math.min(total - 1, lastInView);

  const onView = useCallback((scrollTop: number, viewHeight: number) => setView({ key: specKey, top: scrollTop, height: viewHeight }), [specKey]);

  const moveTo = (next: number) => {
    if (total === 0) return;
    setCursor({ key: specKey, index: Math.max(0, Math.min(total - 1, next)) });
  };
  const pageRows = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);

  /** Keys shared by the search field and the table; Home and End only in the table (the field's own otherwise). */
  const onKeyDown = (e: KeyboardEvent, inTable: boolean) => {
    switch (e.key) {
      case 'ArrowDown':
        moveTo(index + 1);
        break;
      case 'ArrowUp':
        moveTo(index <= 0 ? 0 : index - 1);
        break;
      case 'PageDown':
        moveTo(index + pageRows);
        break;
      case 'PageUp':
        moveTo(index - pageRows);
        break;
      case 'Home':
        if (!inTable) return;
        moveTo(0);
        break;
      case 'End':
        if (!inTable) return;
        moveTo(total - 1);
        break;
      case 'Enter': {
        const study = index >= 0 ? rowAt(index) : undefined;
        if (!study) return;
        onOpen(study);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
    // The viewer's shortcuts listen on the window: the list's keys are not theirs.
    e.stopPropagation();
  };

  const onSort = (column: StudySortColumn) =>
    setSort((current) =>
      current.column === column
        ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: STUDY_COLUMNS.find((c) => c.id === column)?.firstDirection ?? 'asc' },
    );

  return (
    <section className="study-browser" aria-label="Study browser">
      <div className="study-browser-bar">
        <input
          data-testid="study-search"
          type="search"
          placeholder="Search name, patient ID or accession"
          aria-label="Search studies by patient name, patient ID or accession number"
          aria-controls="study-table"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => onKeyDown(e, false)}
          autoFocus
        />
      </div>
      <StudyFilterBar
        date={date}
        onDate={setDate}
        modalityChoices={[...new Set([...choices.modalities, ...modalities])].sort()}
        institutionChoices={institution && !choices.institutions.includes(institution) ? [...choices.institutions, institution] : choices.institutions}
        modalities={modalities}
        onModalities={setModalities}
        institution={institution}
        onInstitution={setInstitution}
        onClear={() => {
          setDate(ANY_DATE);
          setModalities([]);
          setInstitution('');
        }}
      />
      <StudySummaryLine summary={summary} />
      <StudyTable
        total={total}
        first={first}
        last={last}
        rowAt={rowAt}
        sort={sort}
        onSort={onSort}
        cursor={index}
        onCursor={(i) => setCursor({ key: specKey, index: i })}
        openUid={selected}
        onOpen={onOpen}
        onKeyDown={(e) => onKeyDown(e, true)}
        onView={onView}
        resetKey={specKey}
        searching={searching}
        emptyText={query.trim() || Object.keys(filters).length > 0 ? 'No studies match.' : 'No studies yet. Import a folder or a disc to see them here.'}
      />
    </section>
  );
}
