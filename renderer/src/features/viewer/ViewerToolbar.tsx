import type { MouseEvent, ReactNode } from 'react';
import type { WindowPreset } from './presets';
import type { ToolKey } from './tools';
import type { ViewAction } from './viewportActions';
import { VIEWER_LAYOUTS as LAYOUTS, type ViewerLayout as Layout } from '../../../../shared/api';

export type { Layout };

interface Props {
  layout: Layout;
  onLayout: (layout: Layout) => void;
  tool: ToolKey;
  onTool: (tool: ToolKey) => void;
  canMeasure: boolean;
  presets: readonly WindowPreset[];
  onPreset: (preset: WindowPreset) => void;
  onAction: (action: ViewAction) => void;
  cinePlaying: boolean;
  onCine: () => void;
  fps: number;
  onFps: (fps: number) => void;
  sync: boolean;
  onSync: () => void;
  canExport: boolean;
  onExport: () => void;
  sidebar: boolean;
  onSidebar: () => void;
  onHelp: () => void;
  onClose?: () => void;
}

const LAYOUT_LABELS: Record<Layout, string> = { '1x1': '1×1', '1x2': '1×2', '2x1': '2×1', '2x2': '2×2' };

const NAV_TOOLS: { key: ToolKey; label: string; testId: string; title: string }[] = [
  { key: 'windowLevel', label: 'W/L', testId: 'tool-wl', title: 'Window/level: drag (W)' },
  { key: 'pan', label: 'Pan', testId: 'tool-pan', title: 'Pan: drag (P)' },
  { key: 'zoom', label: 'Zoom', testId: 'tool-zoom', title: 'Zoom: drag (Z)' },
  { key: 'scroll', label: 'Scroll', testId: 'tool-scroll', title: 'Scroll through the stack: drag (S)' },
];

const MEASURE_TOOLS: { key: ToolKey; label: string; testId: string; title: string }[] = [
  { key: 'length', label: 'Length', testId: 'tool-length', title: 'Length in mm, px without pixel spacing (L)' },
  { key: 'angle', label: 'Angle', testId: 'tool-angle', title: 'Angle: three clicks (A)' },
  { key: 'ellipse', label: 'Ellipse', testId: 'tool-ellipse', title: 'Ellipse ROI: mean, SD, min, max, area (E)' },
  { key: 'rectangle', label: 'Rect', testId: 'tool-rectangle', title: 'Rectangle ROI: mean, SD, min, max, area (B)' },
  { key: 'probe', label: 'Probe', testId: 'tool-probe', title: 'Pixel value at a point (D)' },
];

const VIEW_ACTIONS: { action: ViewAction; label: string; title: string }[] = [
  { action: 'fit', label: 'Fit', title: 'Fit to the viewport (F)' },
  { action: 'zoomIn', label: '+', title: 'Zoom in (+)' },
  { action: 'zoomOut', label: '−', title: 'Zoom out (−)' },
  { action: 'rotate', label: '⟳90°', title: 'Rotate 90° clockwise (R)' },
  { action: 'flipH', label: '⇋', title: 'Flip horizontally (H)' },
  { action: 'flipV', label: '⇵', title: 'Flip vertically (V)' },
  { action: 'invert', label: 'Invert', title: 'Invert (I)' },
  { action: 'reset', label: 'Reset', title: 'Reset the view (Shift+R)' },
];

// Toolbar buttons do not take the focus: the keyboard stays with the viewer (Space plays cine).
const keepFocus = (e: MouseEvent) => e.preventDefault();

function Group({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nv-group" role="group" aria-label={label}>
      {children}
    </div>
  );
}

export function ViewerToolbar(p: Props) {
  const toolButton = ({ key, label, testId, title }: (typeof NAV_TOOLS)[number]) => (
    <button key={key} type="button" data-testid={testId} title={title} aria-pressed={p.tool === key} onMouseDown={keepFocus} onClick={() => p.onTool(key)}>
      {label}
    </button>
  );
  return (
    <div className="nv-toolbar" role="toolbar" aria-label="Viewer">
      <div className="nv-toolbar-row">
        <Group label="Layout">
          {LAYOUTS.map((layout) => (
            <button key={layout} type="button" data-testid={`layout-${layout}`} aria-pressed={p.layout === layout} onMouseDown={keepFocus} onClick={() => p.onLayout(layout)}>
              {LAYOUT_LABELS[layout]}
            </button>
          ))}
        </Group>
        <Group label="Mouse tool">{NAV_TOOLS.map(toolButton)}</Group>
        {p.canMeasure && <Group label="Measure">{MEASURE_TOOLS.map(toolButton)}</Group>}
        <Group label="View">
          {VIEW_ACTIONS.map(({ action, label, title }) => (
            <button key={action} type="button" data-testid={`view-${action}`} title={title} aria-label={title} onMouseDown={keepFocus} onClick={() => p.onAction(action)}>
              {label}
            </button>
          ))}
        </Group>
        <Group label="Cine">
          <button type="button" data-testid="cine-toggle" aria-pressed={p.cinePlaying} title="Play or stop cine (Space)" onMouseDown={keepFocus} onClick={p.onCine}>
            {p.cinePlaying ? '■ Stop' : '▶ Cine'}
          </button>
          <label className="nv-fps" title="Frames per second">
            <input
              data-testid="cine-fps"
              type="number"
              min={1}
              max={60}
              value={p.fps}
              onChange={(e) => {
                const fps = Math.round(Number(e.target.value));
                if (fps >= 1 && fps <= 60) p.onFps(fps);
              }}
            />
            fps
          </label>
        </Group>
        <Group label="Other">
          <button type="button" data-testid="sync-toggle" aria-pressed={p.sync} title="Scroll viewports of one frame of reference together (Y)" onMouseDown={keepFocus} onClick={p.onSync}>
            Sync
          </button>
          {p.canExport && (
            <button type="button" data-testid="export-png" title="Save the active viewport as PNG (X)" onMouseDown={keepFocus} onClick={p.onExport}>
              PNG
            </button>
          )}
          <button type="button" data-testid="sidebar-toggle" aria-pressed={p.sidebar} title="Measurements and tags" onMouseDown={keepFocus} onClick={p.onSidebar}>
            Panels
          </button>
          <button type="button" data-testid="help-open" title="Keyboard shortcuts (?)" onMouseDown={keepFocus} onClick={p.onHelp}>
            ?
          </button>
          {p.onClose && (
            <button type="button" data-testid="viewer-close" title="Close the study" onMouseDown={keepFocus} onClick={p.onClose}>
              Close
            </button>
          )}
        </Group>
      </div>
      {/* A row of its own: presets change with the image while the rows above (and the grid) stay put. */}
      <div className="nv-toolbar-row nv-presets" role="group" aria-label="Window presets">
        <span className="nv-muted">Window</span>
        {p.presets.map((preset, i) => (
          <button
            key={preset.key}
            type="button"
            data-testid="wl-preset"
            data-preset={preset.key}
            title={`${preset.label}: W ${preset.width} L ${preset.center}${i < 9 ? ` (${i + 1})` : ''}`}
            onMouseDown={keepFocus}
            onClick={() => p.onPreset(preset)}
          >
            {preset.label}
          </button>
        ))}
      </div>
    </div>
  );
}
