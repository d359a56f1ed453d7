// Series thumbnails: those the store has, and for the others one made here from the series'
// middle image, once the first image is on screen (so as not to compete with it), then kept.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { SeriesStack } from './stacks';
import { middleImageId, renderThumbnail } from './thumbnails';

export function useThumbnails(stacks: readonly SeriesStack[], firstImageShown: boolean): Record<string, string> {
  const [thumbs, setThumbs] = useState<Record<string, string> | null>(null);
  const making = useRef<{ cancelled: boolean } | null>(null);

  useEffect(() => {
    let current = true;
    api()
      .invoke('thumbnails.get', { seriesInstanceUids: stacks.map((s) => s.series.seriesInstanceUid) })
      .then((found) => current && setThumbs(found))
      // Without stored thumbnails the panel shows placeholders until it makes its own.
      .catch(() => current && setThumbs({}));
    return () => {
      current = false;
    };
  }, [stacks]);

  useEffect(
    () => () => {
      if (making.current) making.current.cancelled = true;
    },
    [],
  );

  // Made once, in the background, one series after another.
  useEffect(() => {
    if (!thumbs || !firstImageShown || making.current) return;
    const run = { cancelled: false };
    making.current = run;
    const missing = stacks.filter((s) => !thumbs[s.series.seriesInstanceUid]);
    void (async () => {
      for (const stack of missing) {
        const imageId = middleImageId(stack.imageIds);
        if (run.cancelled) return;
        if (!imageId) continue;
        // A series whose middle image cannot be decoded keeps its placeholder.
        const png = await renderThumbnail(imageId).catch(() => undefined);
        if (run.cancelled) return;
        if (!png) continue;
        const uid = stack.series.seriesInstanceUid;
        setThumbs((t) => ({ ...t, [uid]: png }));
        await api().invoke('thumbnails.put', { seriesInstanceUid: uid, png }).catch(() => undefined);
      }
    })();
  }, [thumbs, firstImageShown, stacks]);

  return thumbs ?? {};
}
