import { useEffect, useMemo, useState } from 'react';
import type { TagNode } from '../../../../shared/viewer';
import { api } from '../../api/client';
import { filterTags } from './tagFilter';

interface Props {
  /** The instance of the active viewport's current image. */
  sopInstanceUid: string | null;
  onError: (e: unknown) => void;
}

const DEBOUNCE_MS = 150;

/** Every element of the current image: tag, keyword, VR, value; sequences expand; searchable. */
export function TagBrowser({ sopInstanceUid, onError }: Props) {
  const [loaded, setLoaded] = useState<{ sop: string; tags: TagNode[] } | null>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());

  // Scrolling changes the image many times a second: ask for the one the user stops at.
  useEffect(() => {
    if (!sopInstanceUid || loaded?.sop === sopInstanceUid) return;
    let current = true;
    const timer = setTimeout(() => {
      api()
        .invoke('instances.tags', { sopInstanceUid })
        .then((tags) => current && setLoaded({ sop: sopInstanceUid, tags }))
        .catch((e: unknown) => current && onError(e));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [sopInstanceUid, loaded?.sop, onError]);

  const needle = query.trim().toLowerCase();
  const shown = useMemo(() => (loaded ? filterTags(loaded.tags, needle) : []), [loaded, needle]);
  const toggle = (path: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(path)) next.add(path);
      return next;
    });

  return (
    <section className="nv-side-section nv-tags" data-testid="tag-browser" aria-label="DICOM tags">
      <h3>DICOM tags</h3>
      <input
        data-testid="tag-search"
        type="search"
        placeholder="Search tag, keyword or value"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {!sopInstanceUid && <p className="nv-muted">No image.</p>}
      <div className="nv-tag-list" role="tree">
        <TagRows nodes={shown} depth={0} path="" open={open} searching={needle !== ''} onToggle={toggle} />
      </div>
    </section>
  );
}

function TagRows(props: { nodes: TagNode[]; depth: number; path: string; open: ReadonlySet<string>; searching: boolean; onToggle: (path: string) => void }) {
  const { nodes, depth, path, open, searching, onToggle } = props;
  return (
    <>
      {nodes.map((node, i) => {
        const here = `${path}/${node.tag}#${i}`;
        const expandable = (node.items?.length ?? 0) > 0;
        const expanded = expandable && (searching || open.has(here));
        return (
          <div key={here} role="treeitem" aria-expanded={expandable ? expanded : undefined}>
            <div className="nv-tag-row" data-testid="tag-row" data-tag={node.tag} style={{ paddingLeft: `${depth * 14 + 4}px` }}>
              {expandable ? (
                <button type="button" className="nv-tag-toggle" data-testid="tag-expand" aria-label={expanded ? 'Collapse' : 'Expand'} onClick={() => onToggle(here)}>
                  {expanded ? '▾' : '▸'}
                </button>
              ) : (
                <span className="nv-tag-toggle" />
              )}
              <code className="nv-tag">{node.tag}</code>
              <span className="nv-tag-keyword">{node.keyword || '(private)'}</span>
              <code className="nv-tag-vr">{node.vr}</code>
              <span className="nv-tag-value" data-testid="tag-value" title={node.value}>
                {node.value}
              </span>
            </div>
            {expanded &&
              node.items?.map((item, n) => (
                <div key={`${here}.${n}`} role="group">
                  <div className="nv-tag-item" style={{ paddingLeft: `${(depth + 1) * 14 + 4}px` }}>
                    Item {n + 1}
                  </div>
                  <TagRows nodes={item} depth={depth + 2} path={`${here}.${n}`} open={open} searching={searching} onToggle={onToggle} />
                </div>
              ))}
          </div>
        );
      })}
    </>
  );
}
