// The viewer's rendering engine and tool group, made once Cornerstone is ready; destroyed, with
// every decoded image of the study, when the viewer goes (a study closes or another opens).
import { useEffect, useState } from 'react';
import { RenderingEngine } from '@cornerstonejs/core';
import { ToolGroupManager, type Types } from '@cornerstonejs/tools';
import { freeStudyMemory } from './cacheBudget';
import { initCornerstone } from './cornerstone';
import { createToolGroup } from './tools';

export interface ViewerEngine {
  engine: RenderingEngine;
  toolGroup: Types.IToolGroup;
}

let nextViewer = 0;

export function useViewerEngine(canMeasure: boolean, onError: (e: unknown) => void): ViewerEngine | null {
  const [parts, setParts] = useState<ViewerEngine | null>(null);
  useEffect(() => {
    const id = `noctis-viewer-${++nextViewer}`;
    let engine: RenderingEngine | undefined;
    let cancelled = false;
    initCornerstone()
      .then(() => {
        if (cancelled) return;
        engine = new RenderingEngine(id);
        setParts({ engine, toolGroup: createToolGroup(`${id}-tools`, canMeasure) });
      })
      .catch(onError);
    return () => {
      cancelled = true;
      setParts(null);
      ToolGroupManager.destroyToolGroup(`${id}-tools`);
      engine?.destroy();
      freeStudyMemory();
    };
  }, [canMeasure, onError]);
  return parts;
}
