// A series' thumbnail: its middle image drawn small by Cornerstone, as a PNG data URL for the store.
import { Enums, getShouldUseCPURendering, utilities } from '@cornerstonejs/core';
import { MAX_THUMBNAIL_CHARS } from '../../../../shared/viewer';

const SIZE = 128;

export async function renderThumbnail(imageId: string): Promise<string | undefined> {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  await utilities.loadImageToCanvas({ canvas, imageId, requestType: Enums.RequestType.Thumbnail, useCPURendering: getShouldUseCPURendering() });
  const png = canvas.toDataURL('image/png');
  return png.length <= MAX_THUMBNAIL_CHARS ? png : undefined;
}

/** The image a series is shown by: its middle one. */
export function middleImageId(imageIds: readonly string[]): string | undefined {
  return imageIds[Math.floor((imageIds.length - 1) / 2)];
}
