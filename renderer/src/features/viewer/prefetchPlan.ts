// How far each viewport prefetches: as many images as the cache budget holds, less those on
// screen and the thumbnails, so that prefetching never pushes an image on screen out of the cache.

export interface PrefetchPlan {
  /** Images prefetched on each side of the current one, in each viewport. */
  perSide: number;
}

/**
 * How far each viewport may prefetch: the budget in images, less one visible image per viewport
 * and a thumbnail per series, shared by the viewports on both sides of their current image.
 */
export function prefetchPlan(budgetBytes: number, imageBytes: number, viewports: number, series: number): PrefetchPlan {
  // Before the first image says its size: a 512×512 16-bit slice, twice over.
  const size = imageBytes > 0 ? imageBytes : 1024 * 1024;
  const images = Math.floor(budgetBytes / size);
  const spare = images - viewports - series;
  return { perSide: Math.max(1, Math.floor(spare / (2 * Math.max(1, viewports)))) };
}
