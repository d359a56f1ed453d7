// One-time set-up of Cornerstone3D: rendering path, image loader (decoding in web workers) and tools.
import { cache, getRenderingCapabilities, init as initCore, setUseCPURendering } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  AngleTool,
  EllipticalROITool,
  init as initTools,
  LengthTool,
  PanTool,
  ProbeTool,
  RectangleROITool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

let ready: Promise<void> | undefined;

export function initCornerstone(): Promise<void> {
  ready ??= Promise.resolve().then(() => {
    initCore();
    // Cornerstone falls back to CPU only without WebGL; a software rasteriser (SwiftShader) is
    // ~8× slower per frame than CPU rendering, so choose CPU rendering for it too.
    const caps = getRenderingCapabilities();
    if (!caps.webgl || caps.softwareRasterizer) setUseCPURendering(true);
    initLoader({
      maxWebWorkers: Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4)),
      // Deflated Explicit VR Little Endian only decodes with the legacy metadata provider.
      useLegacyMetadataProvider: true,
    });
    observeCacheRejections();
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, RectangleROITool, ProbeTool]) {
      addTool(tool);
    }
  });
  return ready;
}

/**
 * loadAndCacheImage() leaves the promise of cache.putImageLoadObject() unobserved, so every image
 * that fails to load (an undecodable frame) is also an unhandled rejection, which the window
 * reports as an error of its own. The failure is told already (IMAGE_LOAD_FAILED, the load's
 * own promise, the viewport's message); this observes the copy, and changes nothing else.
 */
function observeCacheRejections(): void {
  const put = cache.putImageLoadObject.bind(cache);
  cache.putImageLoadObject = (imageId, imageLoadObject) => {
    const stored = put(imageId, imageLoadObject);
    stored.catch(() => undefined);
    return stored;
  };
}
