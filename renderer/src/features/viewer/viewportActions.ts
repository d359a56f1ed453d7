// What the toolbar and the keyboard do to a stack viewport. Each renders once.
import { utilities, type Types } from '@cornerstonejs/core';

export type ViewAction = 'fit' | 'rotate' | 'flipH' | 'flipV' | 'invert' | 'reset' | 'zoomIn' | 'zoomOut';

export function applyWindow(viewport: Types.IStackViewport, center: number, width: number): void {
  // Cornerstone's own conversion (DICOM's linear function), so that the overlay reads the preset back.
  viewport.setProperties({ voiRange: utilities.windowLevel.toLowHighRange(width, center) });
  viewport.render();
}

export function applyViewAction(viewport: Types.IStackViewport, action: ViewAction): void {
  const presentation = viewport.getViewPresentation();
  switch (action) {
    case 'fit': {
      // Fit the image again, keeping how it is turned and mirrored.
      const { flipHorizontal, flipVertical } = viewport.getCamera();
      viewport.resetCamera();
      viewport.setViewPresentation({ rotation: presentation.rotation });
      viewport.setCamera({ flipHorizontal, flipVertical });
      break;
    }
    case 'rotate':
      viewport.setViewPresentation({ rotation: ((presentation.rotation ?? 0) + 90) % 360 });
      break;
    case 'flipH':
    case 'flipV':
      flipOnScreen(viewport, action === 'flipH' ? 'horizontal' : 'vertical');
      break;
    case 'invert':
      viewport.setProperties({ invert: !viewport.getProperties().invert });
      break;
    case 'zoomIn':
    case 'zoomOut':
      viewport.setZoom(viewport.getZoom() * (action === 'zoomIn' ? 1.25 : 0.8));
      break;
    case 'reset':
      viewport.resetCamera();
      viewport.setViewPresentation({ rotation: 0 });
      viewport.setCamera({ flipHorizontal: false, flipVertical: false });
      viewport.resetProperties();
      break;
  }
  viewport.render();
}

/**
 * Mirrors what is on screen. Cornerstone flips the image before turning it (and the generic
 * flip does nothing in CPU rendering, setCamera does), so a quarter turn swaps the axes.
 */
function flipOnScreen(viewport: Types.IStackViewport, direction: 'horizontal' | 'vertical'): void {
  const quarterTurned = Math.round((viewport.getViewPresentation().rotation ?? 0) / 90) % 2 === 1;
  const horizontal = (direction === 'horizontal') !== quarterTurned;
  const { flipHorizontal, flipVertical } = viewport.getCamera();
  viewport.setCamera(horizontal ? { flipHorizontal: !flipHorizontal } : { flipVertical: !flipVertical });
}

/** Moves the stack by `delta` images (clamped), as the wheel does. */
export function scrollBy(viewport: Types.IStackViewport, delta: number): void {
  const count = viewport.getImageIds().length;
  if (count === 0) return;
  const target = Math.max(0, Math.min(count - 1, viewport.getTargetImageIdIndex() + delta));
  if (target !== viewport.getTargetImageIdIndex()) void utilities.jumpToSlice(viewport.element, { imageIndex: target });
}

export function scrollTo(viewport: Types.IStackViewport, index: number): void {
  const count = viewport.getImageIds().length;
  if (count === 0) return;
  void utilities.jumpToSlice(viewport.element, { imageIndex: Math.max(0, Math.min(count - 1, index)) });
}
