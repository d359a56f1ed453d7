// What the viewer keeps in the store and reads from it: measurements (per user and image),
// series thumbnails, and the DICOM elements of an instance for the tag browser.

export const MEASUREMENT_TOOLS = ['Length', 'Angle', 'EllipticalROI', 'RectangleROI', 'Probe'] as const;
export type MeasurementTool = (typeof MEASUREMENT_TOOLS)[number];

export interface Measurement {
  /** The annotation's UID as the viewer's tools name it. */
  measurementId: string;
  studyInstanceUid: string;
  sopInstanceUid: string;
  /** 1-based frame of a multi-frame instance (1 otherwise). */
  frame: number;
  tool: MeasurementTool;
  /** The tool's own state: points (in patient space), text box, computed figures. */
  data: Record<string, unknown>;
  /** What the measurement panel shows, e.g. "42.3 mm" or "mean 38 HU, SD 12, area 2.1 cm²". */
  label: string;
  createdAt: string;
  updatedAt: string;
}

/** One data element of an instance, as the tag browser lists it. */
export interface TagNode {
  /** `(gggg,eeee)` in upper-case hexadecimal. */
  tag: string;
  /** The dictionary keyword, '' for a private or unknown element. */
  keyword: string;
  vr: string;
  /** Text for display: decoded strings, numbers, or a byte count for binary values. */
  value: string;
  /** A sequence's items, each a list of elements. */
  items?: TagNode[][];
}

/** A thumbnail a window made: a PNG data URL (at most this many bytes of base64). */
export const MAX_THUMBNAIL_CHARS = 200_000;

/** What the viewer needs of the workstation's settings (read by any role that views studies). */
export interface ViewerConfig {
  /** The decoded-image cache budget (MB); the images on screen are never evicted. */
  cacheMB: number;
}
