// Orientation markers: which patient direction a screen direction points to, from vectors in
// the patient coordinate system (LPS: +x left, +y posterior, +z head).

const LETTERS: readonly (readonly [string, string])[] = [
  ['L', 'R'],
  ['P', 'A'],
  ['H', 'F'],
];

/**
 * The letters of a direction, strongest component first ('L', 'LP', 'HLA'…); components under
 * a fifth of the vector's length are left out. '' for a zero vector.
 */
export function orientationLabel(vector: readonly number[]): string {
  const length = Math.hypot(vector[0], vector[1], vector[2]);
  if (!(length > 0)) return '';
  return [0, 1, 2]
    .map((axis) => ({ axis, value: vector[axis] / length }))
    .filter(({ value }) => Math.abs(value) >= 0.2)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .map(({ axis, value }) => LETTERS[axis][value > 0 ? 0 : 1])
    .join('');
}

export interface EdgeLabels {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

/** The four edge markers from the screen's right and down directions in patient space. */
export function edgeLabels(right: readonly number[], down: readonly number[]): EdgeLabels {
  const negate = (v: readonly number[]) => v.map((x) => -x);
  return { right: orientationLabel(right), left: orientationLabel(negate(right)), bottom: orientationLabel(down), top: orientationLabel(negate(down)) };
}
