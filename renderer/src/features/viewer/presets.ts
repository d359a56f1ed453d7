// Window/level presets: the usual CT windows (in HU), and for any modality the windows the file
// itself carries (WindowCenter/WindowWidth, with their explanations).

export interface WindowPreset {
  /** Stable key (the UI's data-preset). */
  key: string;
  label: string;
  center: number;
  width: number;
}

/** Common CT windows (centre/width in HU), as radiology references give them. */
export const CT_PRESETS: readonly WindowPreset[] = [
  { key: 'brain', label: 'Brain', center: 40, width: 80 },
  { key: 'subdural', label: 'Subdural', center: 75, width: 215 },
  { key: 'stroke', label: 'Stroke', center: 32, width: 8 },
  { key: 'lung', label: 'Lung', center: -600, width: 1500 },
  { key: 'mediastinum', label: 'Mediastinum', center: 50, width: 350 },
  { key: 'abdomen', label: 'Abdomen', center: 50, width: 400 },
  { key: 'liver', label: 'Liver', center: 30, width: 150 },
  { key: 'bone', label: 'Bone', center: 400, width: 1800 },
];

/** The presets for an image: the modality's own, then each window stored in the file. */
export function presetsFor(modality: string, fileWindows: readonly { center: number; width: number; explanation?: string }[]): WindowPreset[] {
  const own = modality === 'CT' ? [...CT_PRESETS] : [];
  const file = fileWindows
    .filter((w) => Number.isFinite(w.center) && Number.isFinite(w.width) && w.width > 0)
    .map((w, i) => ({ key: `file-${i + 1}`, label: w.explanation?.trim() || (fileWindows.length > 1 ? `File ${i + 1}` : 'File'), center: w.center, width: w.width }));
  return [...own, ...file];
}
