import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { StudyRow } from '../../../../shared/api';
import type { StudySort, StudySortColumn } from '../../../../shared/studies';
import { STUDY_COLUMNS, TABLE_WIDTH } from './columns';

/** Fixed heights (studyBrowser.css says the same): which rows are in view is arithmetic. */
export const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 30;

interface Props {
  total: number;
  /** The rows rendered (indexes into the whole result): those in view and a few beyond. */
  first: number;
  last: number;
  rowAt: (index: number) => StudyRow | undefined;
  sort: StudySort;
  onSort: (column: StudySortColumn) => void;
  /** The keyboard's row (an index into the whole result), -1 for none. */
  cursor: number;
  onCursor: (index: number) => void;
  /** The study open in the viewer. */
  openUid: string | null;
  onOpen: (study: StudyRow) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  /** Scrolled or resized: what is in view. */
  onView: (scrollTop: number, height: number) => void;
  /** Changes when a new search starts: back to the top. */
  resetKey: string;
  searching: boolean;
  /** Said when nothing matches. */
  emptyText: string;
}

/**
 * A virtualised table: a real <table> (grid role, row and column counts for assistive technology)
 * whose body holds only the rows in view between two spacer rows of the height of the rest.
 */
export function StudyTable(props: Props) {
  const { total, first, last, rowAt, sort, onSort, cursor, onCursor, openUid, onOpen, onKeyDown, onView, resetKey, searching, emptyText } = props;
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // Also called once at the start: the first view.
    const observer = new ResizeObserver(() => onView(element.scrollTop, element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [onView]);

  // A new search starts at the top.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [resetKey]);

  // The keyboard's row is kept in view.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || cursor < 0) return;
    const top = cursor * ROW_HEIGHT;
    const viewTop = element.scrollTop;
    const viewHeight = element.clientHeight - HEADER_HEIGHT;
    if (top < viewTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > viewTop + viewHeight) element.scrollTop = top + ROW_HEIGHT - viewHeight;
  }, [cursor]);

  const rows = [];
  for (let index = first; index <= last; index++) {
    const study = rowAt(index);
    const active = index === cursor;
    if (!study) {
      rows.push(
        <tr key={`pending-${index}`} className="pending" aria-rowindex={index + 2} id={active ? 'study-cursor' : undefined}>
          <td colSpan={STUDY_COLUMNS.length}>…</td>
        </tr>,
      );
      continue;
    }
    const classes = [study.studyInstanceUid === openUid ? 'selected' : '', active ? 'cursor' : ''].filter(Boolean).join(' ');
    rows.push(
      <tr
        key={study.studyInstanceUid}
        data-testid="study-row"
        data-study-uid={study.studyInstanceUid}
        aria-rowindex={index + 2}
        aria-selected={active}
        id={active ? 'study-cursor' : undefined}
        className={classes || undefined}
        onClick={() => {
          onCursor(index);
          onOpen(study);
        }}
      >
        {STUDY_COLUMNS.map((column) => (
          <td key={column.id} className={column.numeric ? 'num' : undefined} title={column.text(study)}>
            {column.cell ? column.cell(study) : column.text(study)}
          </td>
        ))}
      </tr>,
    );
  }

  return (
    <div className="study-browser-scroll" ref={scroller} onScroll={(e) => onView(e.currentTarget.scrollTop, e.currentTarget.clientHeight)}>
      <table
        id="study-table"
        role="grid"
        aria-label="Studies"
        aria-rowcount={total + 1}
        aria-colcount={STUDY_COLUMNS.length}
        aria-busy={searching}
        aria-activedescendant={cursor >= first && cursor <= last ? 'study-cursor' : undefined}
        data-testid="study-table"
        tabIndex={0}
        onKeyDown={onKeyDown}
        style={{ width: TABLE_WIDTH }}
      >
        <colgroup>
          {STUDY_COLUMNS.map((column) => (
            <col key={column.id} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {STUDY_COLUMNS.map((column) => {
              const sorted = sort.column === column.id;
              return (
                <th
                  key={column.id}
                  scope="col"
                  data-testid="study-sort"
                  data-column={column.id}
                  aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={column.numeric ? 'num' : undefined}
                >
                  <button type="button" onClick={() => onSort(column.id)} title={`Sort by ${column.label.toLowerCase()}`}>
                    {column.label}
                    <span className="sort-mark" aria-hidden>
                      {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr className="spacer" aria-hidden style={{ height: Math.min(first, total) * ROW_HEIGHT }} />}
          {rows}
          {last < total - 1 && <tr className="spacer" aria-hidden style={{ height: (total - 1 - last) * ROW_HEIGHT }} />}
        </tbody>
      </table>
      {total === 0 && !searching && <p className="empty">{emptyText}</p>}
    </div>
  );
}
