// The decoded-image cache: a budget from the settings, prefetching sized to stay inside it, the
// images on screen never evicted, and everything freed when a study closes.
//
// Cornerstone evicts the least recently used image first, and displaying an image touches it.
// So an image on screen is evicted only if the cache filled up with images loaded after it; the
// prefetch window is sized so that, with every viewport prefetching, that cannot happen.
import { cache, Enums, eventTarget, imageLoadPoolManager } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { utilities } from '@cornerstonejs/tools';
import type { PrefetchPlan } from './prefetchPlan';

const MB = 1024 * 1024;
const { RequestType } = Enums;

export function setCacheBudget(megabytes: number): void {
  cache.setMaxCacheSize(megabytes * MB);
}

export function cacheBudgetBytes(): number {
  return cache.getMaxCacheSize();
}

export function setPrefetchWindow(plan: PrefetchPlan): void {
  utilities.stackPrefetch.setConfiguration({ maxImagesToPrefetch: plan.perSide, preserveExistingPool: true });
}

let freeing = false;

/** Frees what a closed study held: queued loads, decoded images, and the loader's parsed files. */
export function freeStudyMemory(): void {
  freeing = true;
  try {
    for (const type of [RequestType.Interaction, RequestType.Thumbnail, RequestType.Prefetch]) imageLoadPoolManager.clearRequestStack(type);
    cache.purgeCache();
    wadouri.dataSetCacheManager.purge();
  } finally {
    freeing = false;
  }
}

/**
 * Calls `onEvicted` when an image on screen leaves the cache anyway (a budget smaller than the
 * images on screen): the viewport loads it again rather than showing a stale frame.
 */
export function watchVisibleEvictions(isVisible: (imageId: string) => boolean, onEvicted: (imageId: string) => void): () => void {
  const listener = (e: Event) => {
    const { imageId } = (e as CustomEvent<{ imageId: string }>).detail;
    // Freeing a closed study empties the cache on purpose (and reloading would never end).
    if (!freeing && isVisible(imageId)) onEvicted(imageId);
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, listener);
  return () => eventTarget.removeEventListener(Enums.Events.IMAGE_CACHE_IMAGE_REMOVED, listener);
}
