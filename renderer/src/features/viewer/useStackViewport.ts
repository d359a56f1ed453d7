// One stack viewport's life: enabled on the viewer's rendering engine and tool group, given its
// series, prefetching around the current image, and what the UI shows of it (the image index,
// whether the current image is on screen, a decoding error, the overlay figures).
import { useEffect, useRef, useState } from 'react';
import { Enums, eventTarget, getEnabledElement, type RenderingEngine, type Types } from '@cornerstonejs/core';
import { utilities, type Types as ToolTypes } from '@cornerstonejs/tools';
import { overlayInfo, type OverlayInfo } from './overlayInfo';
import type { SeriesStack } from './stacks';

export interface StackViewportState {
  index: number;
  rendered: boolean;
  error: string | null;
  overlay: OverlayInfo | null;
}

export interface Assignment {
  stack: SeriesStack;
  startIndex: number;
}

export interface StackViewportOptions {
  viewportId: string;
  engine: RenderingEngine;
  toolGroup: ToolTypes.IToolGroup;
  /** The series to show, from which image: a new object whenever the viewer assigns one. */
  assignment: Assignment | null;
  /** The viewport was enabled (or is going away: null). */
  onViewport: (viewport: Types.IStackViewport | null) => void;
  /** A new image is on screen (every one, while scrolling too). */
  onShown: (imageId: string, index: number) => void;
  /** The element changed size: the engine resizes its canvases. */
  onResize: () => void;
}

const DECODE_ERROR = 'This image cannot be displayed: its pixel data could not be read or decoded.';

/** State about one assignment: a new assignment starts from a fresh state. */
type Tracked = StackViewportState & { source: Assignment | null };
const fresh = (source: Assignment | null): Tracked => ({ source, index: source?.startIndex ?? 0, rendered: false, error: null, overlay: null });

export function useStackViewport(element: HTMLDivElement | null, options: StackViewportOptions): StackViewportState {
  const { viewportId, engine, toolGroup, assignment } = options;
  const [state, setState] = useState<Tracked>(() => fresh(assignment));
  const viewportRef = useRef<Types.IStackViewport | null>(null);
  const sourceRef = useRef<Assignment | null>(assignment);
  // The callbacks change with every render of the viewer; the listeners read the latest.
  const callbacks = useRef(options);
  useEffect(() => {
    callbacks.current = options;
  });

  // Enable the element on the engine and listen to it; disable it with the component.
  useEffect(() => {
    if (!element) return;
    engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element, defaultOptions: { background: [0, 0, 0] } });
    const viewport = engine.getViewport<Types.IStackViewport>(viewportId);
    toolGroup.addViewport(viewportId, engine.id);
    viewportRef.current = viewport;

    const update = (change: Partial<StackViewportState> | ((now: Tracked) => Partial<StackViewportState>)) =>
      setState((s) => {
        const base = s.source === sourceRef.current ? s : fresh(sourceRef.current);
        return { ...base, ...(typeof change === 'function' ? change(base) : change) };
      });
    let target = 0;
    let shown = -1;
    let frame = 0;
    const refreshOverlay = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (viewport.getImageIds().length > 0 && viewport.getCurrentImageId()) update({ overlay: overlayInfo(viewport) });
      });
    };
    const onPreNewImage = (e: Event) => {
      target = (e as CustomEvent<{ imageIdIndex: number }>).detail.imageIdIndex;
      update({ index: target, rendered: false, error: null });
    };
    const onNewImage = (e: Event) => {
      const { imageIdIndex, imageId } = (e as CustomEvent<{ imageIdIndex: number; imageId: string }>).detail;
      shown = imageIdIndex;
      callbacks.current.onShown(imageId, imageIdIndex);
    };
    const onRendered = () => {
      if (shown === target) update({ index: target, rendered: true });
      refreshOverlay();
    };
    const onLoadError = (e: Event) => {
      const { imageId, error } = (e as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (!imageId || imageId !== viewport.getImageIds()[target]) return;
      // Told twice (the loader's IMAGE_LOAD_FAILED, the viewport's IMAGE_LOAD_ERROR): keep the one with a reason.
      const reason = reasonOf(error);
      update((now) => ({ rendered: false, error: reason ? `${DECODE_ERROR} (${reason})` : (now.error ?? DECODE_ERROR) }));
    };
    const listeners: [EventTarget, string, (e: Event) => void][] = [
      [element, Enums.Events.PRE_STACK_NEW_IMAGE, onPreNewImage],
      [element, Enums.Events.STACK_NEW_IMAGE, onNewImage],
      [element, Enums.Events.IMAGE_RENDERED, onRendered],
      [element, Enums.Events.VOI_MODIFIED, refreshOverlay],
      [element, Enums.Events.CAMERA_MODIFIED, refreshOverlay],
      [eventTarget, Enums.Events.IMAGE_LOAD_ERROR, onLoadError],
      [eventTarget, Enums.Events.IMAGE_LOAD_FAILED, onLoadError],
    ];
    for (const [on, name, listener] of listeners) on.addEventListener(name, listener);
    // A resize clears the canvas until the engine draws it again (IMAGE_RENDERED).
    const resize = new ResizeObserver(() => {
      update({ rendered: false });
      callbacks.current.onResize();
    });
    resize.observe(element);
    callbacks.current.onViewport(viewport);

    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
      for (const [on, name, listener] of listeners) on.removeEventListener(name, listener);
      viewportRef.current = null;
      callbacks.current.onViewport(null);
      // The viewer may have destroyed the engine (and with it every viewport) already.
      if (engine.hasBeenDestroyed) return;
      stopLoops(element);
      toolGroup.removeViewports(engine.id, viewportId);
      engine.disableElement(viewportId);
    };
  }, [element, engine, toolGroup, viewportId]);

  // A new series: its stack, from the image asked for, then prefetch around it.
  useEffect(() => {
    const viewport = viewportRef.current;
    sourceRef.current = assignment;
    const imageIds = assignment?.stack.imageIds;
    if (!viewport || !element || !imageIds || imageIds.length === 0) return;
    const index = Math.max(0, Math.min(imageIds.length - 1, assignment.startIndex));
    let current = true;
    viewport
      .setStack(imageIds, index)
      .then(() => {
        if (!current) return;
        viewport.render();
        utilities.stackPrefetch.enable(element);
      })
      // A failed load is reported by IMAGE_LOAD_ERROR as well; this covers a stack that cannot be set at all.
      .catch(() => current && setState((s) => ({ ...fresh(assignment), error: (s.source === assignment && s.error) || DECODE_ERROR })));
    return () => {
      current = false;
      stopLoops(element);
    };
  }, [element, engine, toolGroup, viewportId, assignment]);

  return state.source === assignment ? state : fresh(assignment);
}

/** Stops what runs on its own for an element: prefetching and cine (both need it enabled). */
function stopLoops(element: HTMLDivElement): void {
  if (!getEnabledElement(element)) return;
  utilities.stackPrefetch.disable(element);
  utilities.cine.stopClip(element);
}

/** The loader's words for a failure (a string, an Error, or `{ error }` around either), shortened. */
function reasonOf(error: unknown, depth = 0): string {
  if (typeof error === 'string') return error.slice(0, 160);
  if (error instanceof Error) return error.message.slice(0, 160);
  if (depth < 3 && error && typeof error === 'object' && 'error' in error) return reasonOf(error.error, depth + 1);
  return '';
}
