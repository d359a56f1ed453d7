// Cine of the active viewport with Cornerstone's playClip, at the chosen frames per second (by
// default the rate the cine was recorded at, else 20).
import { useCallback, useState, type RefObject } from 'react';
import { getEnabledElement, type Types } from '@cornerstonejs/core';
import { utilities } from '@cornerstonejs/tools';
import { recordedFps } from './imageMetadata';

export interface Cine {
  playing: ReadonlySet<number>;
  fps: number;
  toggle: (slot: number) => void;
  setFps: (fps: number) => void;
  /** Stops a viewport's cine (its series changes, it goes away). */
  stop: (slot: number) => void;
}

export function useCine(viewports: RefObject<Map<number, Types.IStackViewport>>, currentImageId: string | undefined): Cine {
  const [playing, setPlaying] = useState<ReadonlySet<number>>(new Set());
  const [chosen, setChosen] = useState<number | null>(null);
  const fps = chosen ?? recordedFps(currentImageId) ?? 20;

  const stop = useCallback(
    (slot: number) => {
      const viewport = viewports.current.get(slot);
      // A viewport going away with its engine is disabled already (and its clip with it).
      if (viewport && getEnabledElement(viewport.element)) utilities.cine.stopClip(viewport.element);
      setPlaying((p) => (p.has(slot) ? new Set([...p].filter((s) => s !== slot)) : p));
    },
    [viewports],
  );
  const toggle = (slot: number) => {
    const viewport = viewports.current.get(slot);
    if (!viewport) return;
    if (playing.has(slot)) return stop(slot);
    utilities.cine.playClip(viewport.element, { framesPerSecond: fps, loop: true });
    setPlaying((p) => new Set([...p, slot]));
  };
  const setFps = (next: number) => {
    setChosen(next);
    for (const slot of playing) {
      const viewport = viewports.current.get(slot);
      if (viewport) utilities.cine.playClip(viewport.element, { framesPerSecond: next, loop: true });
    }
  };
  return { playing, fps, toggle, setFps, stop };
}
