import { useEffect, useRef, useState } from 'react';
import { Enums, eventTarget, RenderingEngine, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, StackScrollTool, ToolGroupManager, WindowLevelTool } from '@cornerstonejs/tools';
import { initCornerstone } from './cornerstone';

interface Props {
  /** Cornerstone image ids (`wadouri:<url>`) of the stack to show. */
  imageIds: string[];
}

// Cornerstone types tool names loosely; these are plain strings.
const WINDOW_LEVEL: string = WindowLevelTool.toolName as string;
const STACK_SCROLL: string = StackScrollTool.toolName as string;

let nextViewport = 0;

/**
 * A stack viewport. Its element carries the UI test contract: data-image-index (0-based),
 * data-image-count and data-rendered="true" once IMAGE_RENDERED fired for the current image.
 */
export function Viewport({ imageIds }: Props) {
  const elementRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<Types.IStackViewport | null>(null);
  const [index, setIndex] = useState(0);
  const [rendered, setRendered] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  // Enable the element once; tear everything down with the component.
  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    const id = `viewport-${++nextViewport}`;
    let engine: RenderingEngine | undefined;
    let cancelled = false;

    const onNewImage = (e: Event) => {
      const { imageIdIndex } = (e as CustomEvent<{ imageIdIndex: number }>).detail;
      setIndex(imageIdIndex);
      setRendered(false);
    };
    const onRendered = () => setRendered(true);
    const onLoadError = (e: Event) => {
      const detail = (e as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (!viewportRef.current || !detail.imageId || detail.imageId !== viewportRef.current.getCurrentImageId()) return;
      setError('This image cannot be displayed: its pixel data could not be read or decoded.');
    };

    void initCornerstone().then(() => {
      if (cancelled) return;
      engine = new RenderingEngine(`engine-${id}`);
      engine.enableElement({ viewportId: id, type: Enums.ViewportType.STACK, element });
      viewportRef.current = engine.getViewport<Types.IStackViewport>(id);
      const tools = ToolGroupManager.createToolGroup(`tools-${id}`);
      if (tools) {
        tools.addTool(WINDOW_LEVEL);
        tools.addTool(STACK_SCROLL);
        tools.setToolActive(WINDOW_LEVEL, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
        tools.setToolActive(STACK_SCROLL, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
        tools.addViewport(id, engine.id);
      }
      element.addEventListener(Enums.Events.PRE_STACK_NEW_IMAGE, onNewImage);
      element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, onLoadError);
      setReady(true);
    });

    return () => {
      cancelled = true;
      element.removeEventListener(Enums.Events.PRE_STACK_NEW_IMAGE, onNewImage);
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, onLoadError);
      ToolGroupManager.destroyToolGroup(`tools-${id}`);
      viewportRef.current = null;
      engine?.destroy();
    };
  }, []);

  useEffect(() => {
    const viewport = viewportRef.current;
    if (!ready || !viewport || imageIds.length === 0) return;
    setIndex(0);
    setRendered(false);
    setError(null);
    void viewport.setStack(imageIds, 0).then(() => viewport.render()).catch(() => {
      setError('This image cannot be displayed.');
    });
  }, [ready, imageIds]);

  return (
    <div
      className="viewport"
      data-testid="viewport"
      data-active="true"
      data-image-index={index}
      data-image-count={imageIds.length}
      data-rendered={rendered ? 'true' : 'false'}
    >
      <div className="viewport-canvas" ref={elementRef} onContextMenu={(e) => e.preventDefault()} />
      <div className="viewport-overlay">
        {imageIds.length > 0 && `${index + 1} / ${imageIds.length}`}
      </div>
      {error && (
        <div className="viewport-error" data-testid="viewport-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
