import { useState, type DragEvent } from 'react';
import type { RenderingEngine, Types } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import type { StudyDetail } from '../../../../shared/api';
import { SERIES_DRAG_TYPE } from './SeriesPanel';
import { useStackViewport, type Assignment } from './useStackViewport';
import { ViewportOverlay } from './ViewportOverlay';

interface Props {
  slot: number;
  engine: RenderingEngine;
  toolGroup: ToolTypes.IToolGroup;
  study: StudyDetail;
  assignment: Assignment | null;
  active: boolean;
  onActivate: (slot: number) => void;
  onDropSeries: (slot: number, seriesInstanceUid: string) => void;
  onViewport: (slot: number, viewport: Types.IStackViewport | null) => void;
  onShown: (slot: number, imageId: string, index: number) => void;
  onResize: () => void;
}

export function viewportIdOf(slot: number): string {
  return `noctis-vp-${slot}`;
}

/**
 * One stack viewport. Its element carries the UI test contract: data-image-index (0-based),
 * data-image-count, data-rendered="true" once IMAGE_RENDERED fired for the current image, and
 * data-active="true" on the active one.
 */
export function Viewport(props: Props) {
  const { slot, engine, toolGroup, study, assignment, active, onActivate, onDropSeries } = props;
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const [dropping, setDropping] = useState(false);
  const state = useStackViewport(element, {
    viewportId: viewportIdOf(slot),
    engine,
    toolGroup,
    assignment,
    onViewport: (viewport) => props.onViewport(slot, viewport),
    onShown: (imageId, index) => props.onShown(slot, imageId, index),
    onResize: props.onResize,
  });
  const stack = assignment?.stack ?? null;

  const acceptsDrop = (e: DragEvent) => e.dataTransfer.types.includes(SERIES_DRAG_TYPE);
  return (
    <div
      className={`nv-viewport${active ? ' nv-active' : ''}${dropping ? ' nv-dropping' : ''}`}
      data-testid="viewport"
      data-slot={slot}
      data-active={active ? 'true' : 'false'}
      data-series-uid={stack?.series.seriesInstanceUid ?? ''}
      data-image-index={state.index}
      data-image-count={stack?.images.length ?? 0}
      data-rendered={state.rendered ? 'true' : 'false'}
      onPointerDownCapture={() => onActivate(slot)}
      onDragOver={(e) => {
        if (!acceptsDrop(e)) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        if (!acceptsDrop(e)) return;
        e.preventDefault();
        e.stopPropagation();
        setDropping(false);
        onDropSeries(slot, e.dataTransfer.getData(SERIES_DRAG_TYPE));
      }}
    >
      <div className="nv-viewport-element" ref={setElement} onContextMenu={(e) => e.preventDefault()} />
      {stack && <ViewportOverlay study={study} stack={stack} index={state.index} info={state.overlay} />}
      {!stack && <div className="nv-viewport-empty">Drag a series here</div>}
      {state.error && (
        <div className="nv-viewport-error" data-testid="viewport-error" role="alert">
          {state.error}
        </div>
      )}
    </div>
  );
}
