// What a viewport's corner overlays say about the image on screen, read from Cornerstone: the
// slice's location and thickness, the window, the magnification and the orientation markers.
import { Enums, metaData, utilities, type Types } from '@cornerstonejs/core';
import { edgeLabels, type EdgeLabels } from './orientation';

export interface OverlayInfo {
  sliceLocation: number | null;
  sliceThickness: number | null;
  window: { center: number; width: number } | null;
  /** Screen pixels per image pixel. */
  zoom: number | null;
  /** Only for images with ImageOrientationPatient. */
  orientation: EdgeLabels | null;
}

interface ImagePlane {
  sliceLocation?: number;
  sliceThickness?: number;
  imageOrientationPatient?: unknown;
  columnPixelSpacing?: number | null;
}

const sub = (a: Types.Point3, b: Types.Point3) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

export function overlayInfo(viewport: Types.IStackViewport): OverlayInfo {
  const imageId = viewport.getCurrentImageId();
  const plane = (imageId ? metaData.get(Enums.MetadataModules.IMAGE_PLANE, imageId) : undefined) as ImagePlane | undefined;
  const { voiRange } = viewport.getProperties();
  const window = voiRange ? utilities.windowLevel.toWindowLevel(voiRange.lower, voiRange.upper) : null;
  const axes = screenAxes(viewport);
  const mmPerScreenPixel = axes ? Math.hypot(axes.right[0], axes.right[1], axes.right[2]) : 0;
  const spacing = plane?.columnPixelSpacing ?? 1;
  return {
    sliceLocation: Number.isFinite(plane?.sliceLocation) ? (plane?.sliceLocation ?? null) : null,
    sliceThickness: Number.isFinite(plane?.sliceThickness) ? (plane?.sliceThickness ?? null) : null,
    window: window ? { center: window.windowCenter, width: window.windowWidth } : null,
    zoom: mmPerScreenPixel > 0 ? spacing / mmPerScreenPixel : null,
    orientation: plane?.imageOrientationPatient && axes ? edgeLabels(axes.right, axes.down) : null,
  };
}

/** One screen pixel right and down, in patient space (mm); undefined before an image is drawn. */
function screenAxes(viewport: Types.IStackViewport): { right: number[]; down: number[] } | undefined {
  const centre: Types.Point2 = [viewport.canvas.clientWidth / 2, viewport.canvas.clientHeight / 2];
  const origin = viewport.canvasToWorld(centre) as Types.Point3 | undefined;
  const right = viewport.canvasToWorld([centre[0] + 1, centre[1]]) as Types.Point3 | undefined;
  const down = viewport.canvasToWorld([centre[0], centre[1] + 1]) as Types.Point3 | undefined;
  if (!origin || !right || !down) return undefined;
  return { right: sub(right, origin), down: sub(down, origin) };
}
