// Measurements between Cornerstone's annotations and the store: what is kept (points in patient
// space, the text box, the figures), the label the panel shows, and the annotation rebuilt from a
// stored measurement for the image id of this session (image URLs carry a per-session key).
import type { Types as CoreTypes } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/tools';
import { MEASUREMENT_TOOLS, type Measurement, type MeasurementTool } from '../../../../shared/viewer';

type Point3 = CoreTypes.Point3;

/** What a measurement keeps in the store's `data`. */
export interface StoredMeasurement {
  points: Point3[];
  textBox?: { hasMoved: boolean; worldPosition: Point3 };
  viewPlaneNormal?: Point3;
  viewUp?: Point3;
  /** The tool's figures (mean, stdDev, length, unit…), scalars only. */
  stats: Record<string, number | string>;
}

const STAT_KEYS = ['length', 'unit', 'angle', 'mean', 'stdDev', 'min', 'max', 'area', 'areaUnit', 'modalityUnit', 'value', 'Modality'] as const;

export function isMeasurementTool(name: string | undefined): name is MeasurementTool {
  return (MEASUREMENT_TOOLS as readonly string[]).includes(name ?? '');
}

/** The figures of the annotation on its own image (Cornerstone keys them by `imageId:<id>`). */
export function statsOf(annotation: Types.Annotation): Record<string, number | string> {
  const cached = annotation.data.cachedStats as Record<string, Types.CachedStats | undefined> | undefined;
  const imageId = annotation.metadata?.referencedImageId;
  const entry = (imageId && cached?.[`imageId:${imageId}`]) || Object.values(cached ?? {})[0];
  const stats: Record<string, number | string> = {};
  if (!entry) return stats;
  for (const key of STAT_KEYS) {
    const value = entry[key];
    if ((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '')) stats[key] = value;
  }
  return stats;
}

export function toStored(annotation: Types.Annotation): StoredMeasurement {
  const { handles } = annotation.data;
  const textBox = handles?.textBox;
  return {
    points: (handles?.points ?? []).map((p) => [p[0], p[1], p[2]] as Point3),
    ...(textBox?.worldPosition ? { textBox: { hasMoved: textBox.hasMoved === true, worldPosition: [...textBox.worldPosition] as Point3 } } : {}),
    ...(annotation.metadata?.viewPlaneNormal ? { viewPlaneNormal: [...annotation.metadata.viewPlaneNormal] as Point3 } : {}),
    ...(annotation.metadata?.viewUp ? { viewUp: [...annotation.metadata.viewUp] as Point3 } : {}),
    stats: statsOf(annotation),
  };
}

const fixed = (value: number | string | undefined, digits: number) => (typeof value === 'number' ? value.toFixed(digits) : '?');

/** "42.3 mm", "37.5°", "mean 40.1 HU, SD 3.2, min 35, max 47, area 120.4 mm²", "1064 HU". */
export function labelOf(tool: MeasurementTool, stats: Record<string, number | string>): string {
  const unit = (key: string) => (typeof stats[key] === 'string' && stats[key] !== '' ? ` ${stats[key]}` : '');
  switch (tool) {
    case 'Length':
      return `${fixed(stats.length, 1)}${unit('unit') || ' px'}`;
    case 'Angle':
      return `${fixed(stats.angle, 1)}°`;
    case 'EllipticalROI':
    case 'RectangleROI':
      return `mean ${fixed(stats.mean, 1)}${unit('modalityUnit')}, SD ${fixed(stats.stdDev, 1)}, min ${fixed(stats.min, 0)}, max ${fixed(stats.max, 0)}, area ${fixed(stats.area, 1)}${unit('areaUnit')}`;
    case 'Probe':
      return `${fixed(stats.value, 1)}${unit('modalityUnit')}`;
  }
}

function isPoint(value: unknown): value is Point3 {
  return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** The stored form of a measurement's data, or undefined when it is not one of ours. */
export function readStored(data: Record<string, unknown>): StoredMeasurement | undefined {
  const points = data.points;
  if (!Array.isArray(points) || !points.every(isPoint)) return undefined;
  const textBox = data.textBox as { hasMoved?: unknown; worldPosition?: unknown } | undefined;
  return {
    points,
    ...(textBox && isPoint(textBox.worldPosition) ? { textBox: { hasMoved: textBox.hasMoved === true, worldPosition: textBox.worldPosition } } : {}),
    ...(isPoint(data.viewPlaneNormal) ? { viewPlaneNormal: data.viewPlaneNormal } : {}),
    ...(isPoint(data.viewUp) ? { viewUp: data.viewUp } : {}),
    stats: (data.stats ?? {}) as Record<string, number | string>,
  };
}

/** A stored measurement as an annotation on this session's image id; its figures are computed again. */
export function toAnnotation(m: Measurement, imageId: string, frameOfReferenceUid: string | undefined): Types.Annotation | undefined {
  const stored = readStored(m.data);
  if (!stored) return undefined;
  const textBox = stored.textBox ?? { hasMoved: false, worldPosition: [0, 0, 0] as Point3 };
  return {
    annotationUID: m.measurementId,
    highlighted: false,
    isLocked: false,
    isVisible: true,
    invalidated: true,
    metadata: {
      toolName: m.tool,
      referencedImageId: imageId,
      FrameOfReferenceUID: frameOfReferenceUid ?? '',
      ...(stored.viewPlaneNormal ? { viewPlaneNormal: stored.viewPlaneNormal } : {}),
      ...(stored.viewUp ? { viewUp: stored.viewUp } : {}),
    },
    data: {
      label: '',
      handles: {
        points: stored.points,
        activeHandleIndex: null,
        textBox: { ...textBox, worldBoundingBox: { topLeft: [0, 0, 0], topRight: [0, 0, 0], bottomLeft: [0, 0, 0], bottomRight: [0, 0, 0] } },
      },
      cachedStats: {},
    },
  };
}
