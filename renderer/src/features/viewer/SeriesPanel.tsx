import type { SeriesStack } from './stacks';

/** The drag payload type of a series thumbnail (its SeriesInstanceUID). */
export const SERIES_DRAG_TYPE = 'application/x-noctis-series';

interface Props {
  stacks: readonly SeriesStack[];
  thumbnails: Record<string, string>;
  /** Series shown in the active viewport. */
  activeSeries: string | null;
  onPick: (seriesInstanceUid: string) => void;
}

/** One thumbnail per series: click to show it in the active viewport, or drag it onto any viewport. */
export function SeriesPanel({ stacks, thumbnails, activeSeries, onPick }: Props) {
  return (
    <nav className="nv-series" aria-label="Series">
      {stacks.map(({ series, images }) => {
        const uid = series.seriesInstanceUid;
        const instances = series.instances.length;
        return (
          <button
            key={uid}
            type="button"
            className={`nv-series-thumb${uid === activeSeries ? ' nv-selected' : ''}`}
            data-testid="series-thumb"
            data-series-uid={uid}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(SERIES_DRAG_TYPE, uid);
              e.dataTransfer.effectAllowed = 'copy';
            }}
            onClick={() => onPick(uid)}
            title={`Series ${series.seriesNumber ?? ''} ${series.seriesDescription}`}
          >
            {thumbnails[uid] ? <img src={thumbnails[uid]} alt="" draggable={false} /> : <span className="nv-thumb-placeholder">{series.modality}</span>}
            <span className="nv-series-text">
              <span className="nv-series-desc">{series.seriesDescription || `Series ${series.seriesNumber ?? ''}`}</span>
              <span className="nv-series-meta">
                {series.modality} · {instances} {instances === 1 ? 'image' : 'images'}
                {images.length > instances ? ` · ${images.length} frames` : ''}
              </span>
            </span>
          </button>
        );
      })}
    </nav>
  );
}
