// The study as stacks of Cornerstone image ids: one per instance, or one per frame of a
// multi-frame instance (a US cine plays as a stack). Plain data, no Cornerstone.
import type { SeriesDetail, StudyDetail } from '../../../../shared/api';

export interface StackImage {
  imageId: string;
  sopInstanceUid: string;
  /** 1-based frame within its instance. */
  frame: number;
  /** ImagePositionPatient of the instance (frames of a multi-frame instance have none here). */
  position: number[] | null;
}

export interface SeriesStack {
  series: SeriesDetail;
  images: StackImage[];
  imageIds: string[];
}

export interface ImageRef {
  seriesInstanceUid: string;
  /** Index within its series' stack. */
  index: number;
  sopInstanceUid: string;
  frame: number;
}

export interface StudyStacks {
  /** Series with at least one image, in the study's order. */
  stacks: SeriesStack[];
  bySeries: Map<string, SeriesStack>;
  byImageId: Map<string, ImageRef>;
  /** The image id of an instance's frame, if this study has it. */
  imageIdOf(sopInstanceUid: string, frame: number): string | undefined;
}

/** `wadouri:<url>`, with the loader's 1-based `frame=` parameter for a frame of a multi-frame instance. */
export function imageIdFor(url: string, frame: number | null): string {
  if (frame === null) return `wadouri:${url}`;
  return `wadouri:${url}${url.includes('?') ? '&' : '?'}frame=${frame}`;
}

export function stackOf(series: SeriesDetail): SeriesStack {
  const images: StackImage[] = [];
  for (const instance of series.instances) {
    const frames = Math.max(1, instance.frames);
    for (let frame = 1; frame <= frames; frame++) {
      images.push({
        imageId: imageIdFor(instance.url, frames > 1 ? frame : null),
        sopInstanceUid: instance.sopInstanceUid,
        frame,
        position: frames > 1 ? null : instance.imagePositionPatient,
      });
    }
  }
  return { series, images, imageIds: images.map((i) => i.imageId) };
}

export function studyStacks(study: StudyDetail): StudyStacks {
  const stacks = study.series.filter((s) => s.instances.length > 0).map(stackOf);
  const bySeries = new Map(stacks.map((s) => [s.series.seriesInstanceUid, s]));
  const byImageId = new Map<string, ImageRef>();
  const bySopFrame = new Map<string, string>();
  for (const stack of stacks) {
    stack.images.forEach((image, index) => {
      byImageId.set(image.imageId, { seriesInstanceUid: stack.series.seriesInstanceUid, index, sopInstanceUid: image.sopInstanceUid, frame: image.frame });
      bySopFrame.set(`${image.sopInstanceUid}#${image.frame}`, image.imageId);
    });
  }
  return { stacks, bySeries, byImageId, imageIdOf: (sop, frame) => bySopFrame.get(`${sop}#${frame}`) };
}

/** The index of the image nearest to a position (mm), or -1 when the stack has no positions. */
export function nearestByPosition(images: readonly StackImage[], position: readonly number[]): number {
  let best = -1;
  let bestDistance = Infinity;
  images.forEach((image, index) => {
    if (!image.position) return;
    const d = Math.hypot(image.position[0] - position[0], image.position[1] - position[1], image.position[2] - position[2]);
    if (d < bestDistance) {
      bestDistance = d;
      best = index;
    }
  });
  return best;
}
