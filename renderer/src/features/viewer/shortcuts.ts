// The viewer's keyboard shortcuts: one table, read by the key handler and by the help overlay.
import type { ToolKey } from './tools';
import type { ViewAction } from './viewportActions';

export type Command =
  | { kind: 'scroll'; delta: number }
  | { kind: 'jump'; to: 'first' | 'last' }
  | { kind: 'tool'; tool: ToolKey; measuring?: true }
  | { kind: 'view'; action: ViewAction }
  | { kind: 'preset'; index: number }
  | { kind: 'cine' | 'sync' | 'help' | 'nextViewport' | 'deleteMeasurement' | 'export' };

export interface Shortcut {
  /** KeyboardEvent.key values (a capital letter means with Shift). */
  keys: string[];
  label: string;
  command: Command;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['ArrowUp', 'ArrowLeft'], label: 'Previous image', command: { kind: 'scroll', delta: -1 } },
  { keys: ['ArrowDown', 'ArrowRight'], label: 'Next image', command: { kind: 'scroll', delta: 1 } },
  { keys: ['PageUp'], label: 'Back 10 images', command: { kind: 'scroll', delta: -10 } },
  { keys: ['PageDown'], label: 'Forward 10 images', command: { kind: 'scroll', delta: 10 } },
  { keys: ['Home'], label: 'First image', command: { kind: 'jump', to: 'first' } },
  { keys: ['End'], label: 'Last image', command: { kind: 'jump', to: 'last' } },
  { keys: [' '], label: 'Play or stop cine', command: { kind: 'cine' } },
  { keys: ['w'], label: 'Window/level (drag)', command: { kind: 'tool', tool: 'windowLevel' } },
  { keys: ['p'], label: 'Pan (drag; middle button always)', command: { kind: 'tool', tool: 'pan' } },
  { keys: ['z'], label: 'Zoom (drag; right button always)', command: { kind: 'tool', tool: 'zoom' } },
  { keys: ['s'], label: 'Scroll through the stack (drag; wheel always)', command: { kind: 'tool', tool: 'scroll' } },
  { keys: ['l'], label: 'Length', command: { kind: 'tool', tool: 'length', measuring: true } },
  { keys: ['a'], label: 'Angle', command: { kind: 'tool', tool: 'angle', measuring: true } },
  { keys: ['e'], label: 'Ellipse ROI', command: { kind: 'tool', tool: 'ellipse', measuring: true } },
  { keys: ['b'], label: 'Rectangle ROI', command: { kind: 'tool', tool: 'rectangle', measuring: true } },
  { keys: ['d'], label: 'Probe (pixel value)', command: { kind: 'tool', tool: 'probe', measuring: true } },
  { keys: ['Delete', 'Backspace'], label: 'Delete the selected measurement', command: { kind: 'deleteMeasurement' } },
  { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: 'Window preset 1–9 (in toolbar order)', command: { kind: 'preset', index: 0 } },
  { keys: ['f'], label: 'Fit to the viewport', command: { kind: 'view', action: 'fit' } },
  { keys: ['+', '='], label: 'Zoom in', command: { kind: 'view', action: 'zoomIn' } },
  { keys: ['-'], label: 'Zoom out', command: { kind: 'view', action: 'zoomOut' } },
  { keys: ['r'], label: 'Rotate 90° clockwise', command: { kind: 'view', action: 'rotate' } },
  { keys: ['h'], label: 'Flip horizontally', command: { kind: 'view', action: 'flipH' } },
  { keys: ['v'], label: 'Flip vertically', command: { kind: 'view', action: 'flipV' } },
  { keys: ['i'], label: 'Invert', command: { kind: 'view', action: 'invert' } },
  { keys: ['R'], label: 'Reset the view (Shift+R)', command: { kind: 'view', action: 'reset' } },
  { keys: ['y'], label: 'Synchronised scrolling on/off', command: { kind: 'sync' } },
  { keys: ['Tab'], label: 'Next viewport', command: { kind: 'nextViewport' } },
  { keys: ['x'], label: 'Export the viewport as PNG', command: { kind: 'export' } },
  { keys: ['?'], label: 'This help', command: { kind: 'help' } },
];

/** What the handler reads of a KeyboardEvent. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** The command for a key press, or undefined (with Ctrl, Alt or Meta: none, those belong to the app). */
export function commandFor(event: KeyPress): Command | undefined {
  if (event.ctrlKey || event.altKey || event.metaKey) return undefined;
  // Letters with Caps Lock on (or Shift) work too, except Shift+R, which has a meaning of its own.
  const find = (key: string) => SHORTCUTS.find((s) => s.keys.includes(key));
  const shortcut = find(event.key) ?? (event.key.length === 1 ? find(event.key.toLowerCase()) : undefined);
  if (!shortcut) return undefined;
  if (shortcut.command.kind === 'preset') return { kind: 'preset', index: Number(event.key) - 1 };
  return shortcut.command;
}

/** How a key is written in the help overlay. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = { ' ': 'Space', ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', R: 'Shift+R' };
  return names[key] ?? (key.length === 1 ? key.toUpperCase() : key);
}
