// The viewer's tools in one Cornerstone tool group: the chosen tool on the left button, zoom on
// the right, pan on the middle, scrolling on the wheel; measurements stay editable (passive)
// for users who may measure, and are only drawn for the others.
import { Enums as ToolEnums, ToolGroupManager, type Types } from '@cornerstonejs/tools';

const { MouseBindings } = ToolEnums;

export const TOOL_NAMES = {
  windowLevel: 'WindowLevel',
  pan: 'Pan',
  zoom: 'Zoom',
  scroll: 'StackScroll',
  length: 'Length',
  angle: 'Angle',
  ellipse: 'EllipticalROI',
  rectangle: 'RectangleROI',
  probe: 'Probe',
} as const;

export type ToolKey = keyof typeof TOOL_NAMES;
export const NAVIGATION_TOOLS: readonly ToolKey[] = ['windowLevel', 'pan', 'zoom', 'scroll'];
export const MEASURING_TOOLS: readonly ToolKey[] = ['length', 'angle', 'ellipse', 'rectangle', 'probe'];

/** What each navigation tool keeps whatever the left button does. */
const BASE_BINDINGS: Partial<Record<ToolKey, Types.IToolBinding[]>> = {
  scroll: [{ mouseButton: MouseBindings.Wheel }],
  zoom: [{ mouseButton: MouseBindings.Secondary }],
  pan: [{ mouseButton: MouseBindings.Auxiliary }],
};

export function createToolGroup(id: string, canMeasure: boolean): Types.IToolGroup {
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`tool group ${id} exists already`);
  for (const key of [...NAVIGATION_TOOLS, ...MEASURING_TOOLS]) group.addTool(TOOL_NAMES[key]);
  for (const key of NAVIGATION_TOOLS) {
    const bindings = BASE_BINDINGS[key];
    if (bindings) group.setToolActive(TOOL_NAMES[key], { bindings });
  }
  for (const key of MEASURING_TOOLS) {
    if (canMeasure) group.setToolPassive(TOOL_NAMES[key]);
    else group.setToolEnabled(TOOL_NAMES[key]);
  }
  setPrimaryTool(group, 'windowLevel', 'windowLevel', canMeasure);
  return group;
}

/** Puts `next` on the left button, taking it from `previous` (which keeps its other bindings). */
export function setPrimaryTool(group: Types.IToolGroup, previous: ToolKey, next: ToolKey, canMeasure: boolean): void {
  if (previous !== next) {
    if (MEASURING_TOOLS.includes(previous) && !canMeasure) group.setToolEnabled(TOOL_NAMES[previous]);
    else group.setToolPassive(TOOL_NAMES[previous]);
  }
  group.setToolActive(TOOL_NAMES[next], { bindings: [{ mouseButton: MouseBindings.Primary }] });
}
