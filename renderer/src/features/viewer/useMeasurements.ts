// This user's measurements on the open study: loaded from the store, put back on their image
// when it is shown, saved when drawn or changed (debounced), deleted from the panel or with the
// Delete key. Cornerstone's annotation state holds what is on screen; the store holds the rest.
import { useCallback, useEffect, useRef, useState } from 'react';
import { eventTarget, type Types as CoreTypes } from '@cornerstonejs/core';
import { annotation as annotations, Enums as ToolEnums, utilities as toolUtilities, type Types } from '@cornerstonejs/tools';
import type { Measurement } from '../../../../shared/viewer';
import { api } from '../../api/client';
import { isMeasurementTool, labelOf, toAnnotation, toStored } from './measurements';
import type { StudyStacks } from './stacks';

const SAVE_DELAY_MS = 300;

export interface Measurements {
  items: Measurement[];
  /** Puts back the stored measurements of the image a viewport now shows. */
  restore: (viewport: CoreTypes.IStackViewport, imageId: string) => void;
  remove: (measurementId: string) => void;
  removeSelected: () => void;
}

export function useMeasurements(
  studyInstanceUid: string,
  stacks: StudyStacks,
  canMeasure: boolean,
  onError: (e: unknown) => void,
  /** Redraws the viewports (after an annotation left them). */
  redraw: () => void,
): Measurements {
  const [items, setItems] = useState<Measurement[]>([]);
  // Stored measurements not yet on screen, by this session's image id.
  const pending = useRef(new Map<string, Measurement[]>());
  const saved = useRef(new Map<string, string>());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const settled = useRef(new Set<string>());
  const detached = useRef(false);
  const errors = useRef(onError);
  const redrawRef = useRef(redraw);
  useEffect(() => {
    errors.current = onError;
    redrawRef.current = redraw;
  });

  useEffect(() => {
    if (!canMeasure) return;
    let current = true;
    api()
      .invoke('measurements.list', { studyInstanceUid })
      .then((list) => {
        if (!current) return;
        setItems(list);
        for (const m of list) {
          const imageId = stacks.imageIdOf(m.sopInstanceUid, m.frame);
          if (!imageId) continue;
          pending.current.set(imageId, [...(pending.current.get(imageId) ?? []), m]);
          saved.current.set(m.measurementId, JSON.stringify([m.data, m.label]));
        }
      })
      .catch((e: unknown) => errors.current(e));
    return () => {
      current = false;
    };
  }, [studyInstanceUid, stacks, canMeasure]);

  const restore = useCallback((viewport: CoreTypes.IStackViewport, imageId: string) => {
    const list = pending.current.get(imageId);
    if (!list) return;
    pending.current.delete(imageId);
    for (const m of list) {
      const restored = toAnnotation(m, imageId, viewport.getFrameOfReferenceUID());
      if (!restored || annotations.state.getAnnotation(m.measurementId)) continue;
      settled.current.add(m.measurementId);
      annotations.state.addAnnotation(restored, viewport.element);
    }
    toolUtilities.triggerAnnotationRenderForViewportIds([viewport.id]);
  }, []);

  // Saving and deleting follow the annotation events.
  useEffect(() => {
    if (!canMeasure) return;
    const save = (a: Types.Annotation) => {
      const uid = a.annotationUID;
      const tool = a.metadata?.toolName;
      const ref = a.metadata?.referencedImageId ? stacks.byImageId.get(a.metadata.referencedImageId) : undefined;
      if (!uid || !isMeasurementTool(tool) || !ref || detached.current) return;
      const stored = toStored(a);
      const label = labelOf(tool, stored.stats);
      const data = stored as unknown as Record<string, unknown>;
      const key = JSON.stringify([data, label]);
      if (saved.current.get(uid) === key) return;
      saved.current.set(uid, key);
      api()
        .invoke('measurements.save', { measurementId: uid, studyInstanceUid, sopInstanceUid: ref.sopInstanceUid, frame: ref.frame, tool, data, label })
        .then((m) => setItems((list) => (list.some((x) => x.measurementId === uid) ? list.map((x) => (x.measurementId === uid ? m : x)) : [...list, m])))
        .catch((e: unknown) => {
          saved.current.delete(uid);
          errors.current(e);
        });
    };
    const schedule = (a: Types.Annotation) => {
      const uid = a.annotationUID;
      if (!uid) return;
      clearTimeout(timers.current.get(uid));
      timers.current.set(
        uid,
        setTimeout(() => {
          timers.current.delete(uid);
          save(a);
        }, SAVE_DELAY_MS),
      );
    };
    const onCompleted = (e: Event) => {
      const a = (e as CustomEvent<{ annotation: Types.Annotation }>).detail.annotation;
      if (!a.annotationUID || !isMeasurementTool(a.metadata?.toolName)) return;
      settled.current.add(a.annotationUID);
      schedule(a);
    };
    // While a measurement is being drawn it is not kept yet: only finished ones are saved again.
    const onModified = (e: Event) => {
      const a = (e as CustomEvent<{ annotation: Types.Annotation }>).detail.annotation;
      if (a.annotationUID && settled.current.has(a.annotationUID)) schedule(a);
    };
    const onRemoved = (e: Event) => {
      const a = (e as CustomEvent<{ annotation: Types.Annotation }>).detail.annotation;
      const uid = a.annotationUID;
      if (!uid || detached.current || !isMeasurementTool(a.metadata?.toolName)) return;
      clearTimeout(timers.current.get(uid));
      timers.current.delete(uid);
      settled.current.delete(uid);
      saved.current.delete(uid);
      setItems((list) => list.filter((x) => x.measurementId !== uid));
      api()
        .invoke('measurements.delete', { measurementId: uid })
        .catch((err: unknown) => errors.current(err));
    };
    const { ANNOTATION_COMPLETED, ANNOTATION_MODIFIED, ANNOTATION_REMOVED } = ToolEnums.Events;
    // Cornerstone Tools fires annotation events on core's eventTarget.
    const target = eventTarget;
    target.addEventListener(ANNOTATION_COMPLETED, onCompleted);
    target.addEventListener(ANNOTATION_MODIFIED, onModified);
    target.addEventListener(ANNOTATION_REMOVED, onRemoved);
    const pendingTimers = timers.current;
    return () => {
      target.removeEventListener(ANNOTATION_COMPLETED, onCompleted);
      target.removeEventListener(ANNOTATION_MODIFIED, onModified);
      target.removeEventListener(ANNOTATION_REMOVED, onRemoved);
      for (const t of pendingTimers.values()) clearTimeout(t);
    };
  }, [studyInstanceUid, stacks, canMeasure]);

  const remove = useCallback(
    (measurementId: string) => {
      if (annotations.state.getAnnotation(measurementId)) {
        // The REMOVED event deletes it from the store.
        annotations.state.removeAnnotation(measurementId);
        redrawRef.current();
        return;
      }
      for (const [imageId, list] of pending.current) pending.current.set(imageId, list.filter((m) => m.measurementId !== measurementId));
      setItems((list) => list.filter((x) => x.measurementId !== measurementId));
      api()
        .invoke('measurements.delete', { measurementId })
        .catch((e: unknown) => errors.current(e));
    },
    [],
  );

  const removeSelected = useCallback(() => {
    for (const uid of annotations.selection.getAnnotationsSelected()) {
      if (isMeasurementTool(annotations.state.getAnnotation(uid)?.metadata?.toolName)) remove(uid);
    }
  }, [remove]);

  // Closing the study clears its annotations from the screen; the store keeps them.
  useEffect(
    () => () => {
      detached.current = true;
      annotations.state.removeAllAnnotations();
    },
    [],
  );

  return { items, restore, remove, removeSelected };
}
