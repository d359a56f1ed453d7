// Synchronised scrolling: viewports whose series share a FrameOfReferenceUID follow each other
// to the nearest slice by ImagePositionPatient (known from the index before any image loads).
import { Enums, utilities, type Types } from '@cornerstonejs/core';
import { SynchronizerManager, type Synchronizer } from '@cornerstonejs/tools';
import { nearestByPosition, type StackImage } from './stacks';

export interface SyncMember {
  viewportId: string;
  renderingEngineId: string;
  frameOfReferenceUid: string;
  images: readonly StackImage[];
}

let nextSync = 0;

/** Links each group of two or more viewports sharing a frame of reference; returns the undo. */
export function linkByFrameOfReference(members: readonly SyncMember[], viewportOf: (viewportId: string) => Types.IStackViewport | undefined): () => void {
  const groups = new Map<string, SyncMember[]>();
  for (const m of members) {
    if (!m.frameOfReferenceUid || !m.images.some((i) => i.position)) continue;
    groups.set(m.frameOfReferenceUid, [...(groups.get(m.frameOfReferenceUid) ?? []), m]);
  }
  const byId = new Map(members.map((m) => [m.viewportId, m]));
  const created: Synchronizer[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const id = `noctis-slice-sync-${++nextSync}`;
    const sync = SynchronizerManager.createSynchronizer(id, Enums.Events.STACK_NEW_IMAGE, (_s, source, target, event) => {
      const from = byId.get(source.viewportId);
      const to = byId.get(target.viewportId);
      const viewport = viewportOf(target.viewportId);
      const index = (event as CustomEvent<{ imageIdIndex?: number }> | undefined)?.detail?.imageIdIndex;
      const position = index === undefined ? undefined : from?.images[index]?.position;
      if (!to || !viewport || !position) return;
      const nearest = nearestByPosition(to.images, position);
      if (nearest >= 0 && nearest !== viewport.getTargetImageIdIndex()) return utilities.jumpToSlice(viewport.element, { imageIndex: nearest });
    });
    for (const m of group) sync.add({ viewportId: m.viewportId, renderingEngineId: m.renderingEngineId });
    created.push(sync);
  }
  return () => {
    for (const sync of created) SynchronizerManager.destroySynchronizer(sync.id);
  };
}
