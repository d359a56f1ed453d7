// The viewer's share of the cache: the budget from the settings, the prefetch window sized to
// it (again when the layout or the image size changes), and images on screen kept cached.
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { cache, imageLoader, type Types } from '@cornerstonejs/core';
import { utilities } from '@cornerstonejs/tools';
import { api } from '../../api/client';
import { cacheBudgetBytes, setCacheBudget, setPrefetchWindow, watchVisibleEvictions } from './cacheBudget';
import { prefetchPlan } from './prefetchPlan';

export function useCacheBudget(viewports: RefObject<Map<number, Types.IStackViewport>>, count: number, series: number, onError: (e: unknown) => void): (imageId: string) => void {
  const [budget, setBudget] = useState<number | null>(null);
  const [imageBytes, setImageBytes] = useState(0);

  useEffect(() => {
    api()
      .invoke('viewer.config', {})
      .then(({ cacheMB }) => {
        setCacheBudget(cacheMB);
        setBudget(cacheBudgetBytes());
      })
      .catch(onError);
  }, [onError]);

  const perSide = prefetchPlan(budget ?? cacheBudgetBytes(), imageBytes, count, series).perSide;
  useEffect(() => {
    setPrefetchWindow({ perSide });
    // Prefetching started with the previous window: start it again with this one.
    for (const viewport of viewports.current.values()) {
      if (viewport.getImageIds().length > 0) utilities.stackPrefetch.enable(viewport.element);
    }
  }, [perSide, viewports]);

  useEffect(
    () =>
      watchVisibleEvictions(
        (imageId) => [...viewports.current.values()].some((v) => v.getCurrentImageId() === imageId),
        // Loaded again at once: the cache keeps what is on screen.
        (imageId) => void imageLoader.loadAndCacheImage(imageId).catch(() => undefined),
      ),
    [viewports],
  );

  /** An image was shown: the largest one sizes the prefetch window. */
  return useCallback((imageId: string) => {
    const bytes = cache.getImage(imageId)?.sizeInBytes ?? 0;
    setImageBytes((b) => (bytes > b ? bytes : b));
  }, []);
}
