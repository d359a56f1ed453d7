import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StudyRow } from '../../../../shared/api';
import type { StudyFilters, StudySort, StudySummary } from '../../../../shared/studies';
import { api, errorInfo } from '../../api/client';

/** Rows fetched per call: the list asks only for the pages it shows. */
export const PAGE_SIZE = 100;
/** Store changes (an import adds studies all the time) refresh the list at most this often. */
const REFRESH_MS = 400;

export interface StudySearchSpec {
  query: string;
  filters: StudyFilters;
  sort: StudySort;
}

interface Results {
  /** The search (and store version) these results belong to. */
  key: string;
  total: number;
  summary: StudySummary | null;
  /** What is shown: this search's pages, and while the store's newer version loads, the older ones. */
  pages: ReadonlyMap<number, StudyRow[]>;
  /** The pages loaded for `key`. */
  fresh: ReadonlySet<number>;
  /** Every modality and institution any search has shown (the unfiltered list shows them all). */
  seen: { modalities: string[]; institutions: string[] };
}

const EMPTY: Results = { key: '', total: 0, summary: null, pages: new Map(), fresh: new Set(), seen: { modalities: [], institutions: [] } };

/** The search part of a key (`version:spec`). */
const specOf = (key: string) => key.slice(key.indexOf(':') + 1);

/** `known` itself when it has every value of `found` already (so that nothing re-renders). */
function merged(known: string[], found: string[]): string[] {
  return found.every((v) => known.includes(v)) ? known : [...new Set([...known, ...found])].sort();
}

/**
 * The studies matching a search, fetched a page at a time for the rows in view (`first`..`last`,
 * indexes into the whole result). Until a new search answers, the previous rows stay on screen.
 */
export function useStudySearch(spec: StudySearchSpec, first: number, last: number, onError: (error: unknown) => void) {
  const [version, setVersion] = useState(0);
  const [results, setResults] = useState<Results>(EMPTY);
  const latest = useRef('');
  const inFlight = useRef(new Set<string>());

  // New or changed studies (an import, a study received) refresh what is shown.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api().on('studies.changed', () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, REFRESH_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const specKey = JSON.stringify(spec);
  const key = `${version}:${specKey}`;
  const payload = useMemo(() => {
    const { query, filters, sort } = JSON.parse(specKey) as StudySearchSpec;
    const trimmed = query.trim();
    return { ...(trimmed ? { query: trimmed } : {}), filters, sort };
  }, [specKey]);

  const firstPage = Math.floor(Math.max(0, first) / PAGE_SIZE);
  const lastPage = Math.floor(Math.max(0, last) / PAGE_SIZE);
  const loaded = results.key === key ? results.fresh : undefined;
  const total = results.total;

  useEffect(() => {
    latest.current = key;
    // Pages past the end (as last known) are not asked for; the first page in view always is.
    const end = Math.max(firstPage, Math.min(lastPage, Math.floor(Math.max(0, total - 1) / PAGE_SIZE)));
    for (let page = firstPage; page <= end; page++) {
      if (loaded?.has(page)) continue;
      const flight = `${key}#${page}`;
      if (inFlight.current.has(flight)) continue;
      inFlight.current.add(flight);
      api()
        .invoke('studies.search', { ...payload, limit: PAGE_SIZE, offset: page * PAGE_SIZE })
        .then((result) => {
          setResults((prev) => {
            if (latest.current !== key) return prev;
            // The same search on a newer store: the rows shown stay until their pages answer.
            const pages = new Map(prev.key === key || specOf(prev.key) === specOf(key) ? prev.pages : []);
            pages.set(page, result.studies);
            const fresh = new Set(prev.key === key ? prev.fresh : []).add(page);
            const { modalities, institutions } = result.summary;
            const seen = { modalities: merged(prev.seen.modalities, modalities), institutions: merged(prev.seen.institutions, institutions) };
            const sameSeen = seen.modalities === prev.seen.modalities && seen.institutions === prev.seen.institutions;
            return { key, total: result.total, summary: result.summary, pages, fresh, seen: sameSeen ? prev.seen : seen };
          });
        })
        .catch((error: unknown) => {
          if (latest.current === key) onError(errorInfo(error));
        })
        .finally(() => inFlight.current.delete(flight));
    }
  }, [key, payload, firstPage, lastPage, loaded, total, onError]);

  const pages = results.pages;
  const rowAt = useCallback((index: number): StudyRow | undefined => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);

  return {
    total,
    summary: results.summary,
    seen: results.seen,
    rowAt,
    /** A search is on its way (its first page has not answered yet). */
    searching: results.key !== key,
  };
}
