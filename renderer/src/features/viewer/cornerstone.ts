// One-time set-up of Cornerstone3D: rendering path, image loader (decoding in web workers) and tools.
import { getRenderingCapabilities, init as initCore, setUseCPURendering } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import { addTool, init as initTools, StackScrollTool, WindowLevelTool } from '@cornerstonejs/tools';

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
    initTools();
    addTool(WindowLevelTool);
    addTool(StackScrollTool);
  });
  return ready;
}
