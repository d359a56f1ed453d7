// Figures of the current image that Cornerstone's metadata holds once the image is loaded.
import { Enums, metaData } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';

export interface FileWindow {
  center: number;
  width: number;
  explanation?: string;
}

/** The windows the file carries (WindowCenter/WindowWidth pairs, with their explanations). */
export function fileWindows(imageId: string | undefined): FileWindow[] {
  if (!imageId) return [];
  const voi = metaData.get(Enums.MetadataModules.VOI_LUT, imageId) as { windowCenter?: number[] | number; windowWidth?: number[] | number } | undefined;
  const centers = [voi?.windowCenter ?? []].flat();
  const widths = [voi?.windowWidth ?? []].flat();
  const explanations = explanationsOf(imageId);
  return centers.slice(0, widths.length).map((center, i) => ({ center, width: widths[i], explanation: explanations[i] }));
}

function explanationsOf(imageId: string): string[] {
  try {
    const dataSet = wadouri.dataSetCacheManager.get(wadouri.parseImageId(imageId).url);
    return dataSet?.string('x00281055')?.split('\\') ?? [];
  } catch {
    // Explanations are a nicety: without the parsed file the windows are simply numbered.
    return [];
  }
}

/** Frames per second a cine was recorded at (FrameTime), when the file says. */
export function recordedFps(imageId: string | undefined): number | undefined {
  if (!imageId) return undefined;
  const cine = metaData.get(Enums.MetadataModules.CINE, imageId) as { frameTime?: number } | undefined;
  const ms = cine?.frameTime;
  return ms && ms > 0 ? Math.max(1, Math.min(60, Math.round(1000 / ms))) : undefined;
}
