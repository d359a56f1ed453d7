import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Types } from '@cornerstonejs/core';
import { viewerLayoutOf, type StudyDetail } from '../../../../shared/api';
import type { SessionInfo } from '../../../../shared/auth';
import type { Measurement } from '../../../../shared/viewer';
import { api } from '../../api/client';
import { download, viewportPng } from './exportPng';
import { HelpOverlay } from './HelpOverlay';
import { fileWindows } from './imageMetadata';
import { MeasurementPanel } from './MeasurementPanel';
import { presetsFor, type WindowPreset } from './presets';
import { SeriesPanel } from './SeriesPanel';
import type { Command } from './shortcuts';
import { studyStacks, type SeriesStack } from './stacks';
import { linkByFrameOfReference } from './sync';
import { TagBrowser } from './TagBrowser';
import { MEASURING_TOOLS, setPrimaryTool, type ToolKey } from './tools';
import { useCacheBudget } from './useCacheBudget';
import { useCine } from './useCine';
import { useMeasurements } from './useMeasurements';
import type { Assignment } from './useStackViewport';
import { useThumbnails } from './useThumbnails';
import { useViewerEngine } from './useViewerEngine';
import { useViewerKeys } from './useViewerKeys';
import { ViewerToolbar, type Layout } from './ViewerToolbar';
import { initCornerstone } from './cornerstone';
import { applyViewAction, applyWindow, scrollBy, scrollTo, type ViewAction } from './viewportActions';
import { Viewport, viewportIdOf } from './Viewport';
import './viewer.css';

interface Props {
  study: StudyDetail;
  session: SessionInfo;
  onError: (e: unknown) => void;
  onClose?: () => void;
}

interface CurrentImage {
  slot: number;
  imageId: string;
  index: number;
}

const CELLS: Record<Layout, number> = { '1x1': 1, '1x2': 2, '2x1': 2, '2x2': 4 };
const MAX_SLOTS = 4;
/** The active viewport's image drives the presets and the tag browser: at most this often while scrolling. */
const CURRENT_THROTTLE_MS = 120;

/**
 * Starts Cornerstone (its decode workers, the tools) before the first study is opened, so that
 * opening it waits only for its image. A failure shows when the viewer needs Cornerstone.
 */
export function prepareViewer(): void {
  initCornerstone().catch(() => undefined);
}

/** Slot i shows the i-th series (the first again when the study has fewer). */
function initialSlots(stacks: readonly SeriesStack[]): (Assignment | null)[] {
  return Array.from({ length: MAX_SLOTS }, (_, i) => {
    const stack = stacks[i] ?? stacks[0];
    return stack ? { stack, startIndex: 0 } : null;
  });
}

/** The open study: series panel, toolbar, a grid of 1 to 4 viewports, measurements and tags. */
export function Viewer({ study, session, onError, onClose }: Props) {
  const canMeasure = session.permissions.includes('studies.measure');
  const canExport = session.permissions.includes('studies.export');
  const stacks = useMemo(() => studyStacks(study), [study]);
  const parts = useViewerEngine(canMeasure, onError);
  const [layout, setLayout] = useState<Layout>('1x1');
  const [slots, setSlots] = useState(() => initialSlots(stacks.stacks));
  const [active, setActive] = useState(0);
  const [tool, setTool] = useState<ToolKey>('windowLevel');
  const [sync, setSync] = useState(false);
  const [help, setHelp] = useState(false);
  const [sidebar, setSidebar] = useState(true);
  const [firstShown, setFirstShown] = useState(false);
  const [current, setCurrent] = useState<CurrentImage | null>(null);
  const viewports = useRef(new Map<number, Types.IStackViewport>());
  const [registered, bumpRegistered] = useReducer((n: number) => n + 1, 0);
  const count = CELLS[layout];
  const activeSlot = active < count ? active : 0;

  const redraw = useCallback(() => parts?.engine.render(), [parts]);
  const measurements = useMeasurements(study.studyInstanceUid, stacks, canMeasure, onError, redraw);
  const thumbnails = useThumbnails(stacks.stacks, firstShown);

  const noteImage = useCacheBudget(viewports, count, stacks.stacks.length, onError);
  const cine = useCine(viewports, current?.slot === activeSlot ? current.imageId : undefined);
  const { stop: stopCine } = cine;

  const activeViewport = () => viewports.current.get(activeSlot);

  // The active viewport's image, throttled: presets and tags follow it.
  const currentTimer = useRef<{ timer: ReturnType<typeof setTimeout> | null; last: number; next: CurrentImage | null }>({ timer: null, last: 0, next: null });
  const publishCurrent = useCallback((image: CurrentImage) => {
    const c = currentTimer.current;
    c.next = image;
    if (c.timer) return;
    const wait = Math.max(0, c.last + CURRENT_THROTTLE_MS - performance.now());
    c.timer = setTimeout(() => {
      c.timer = null;
      c.last = performance.now();
      setCurrent(c.next);
    }, wait);
  }, []);
  useEffect(() => () => clearTimeout(currentTimer.current.timer ?? undefined), []);

  const activeRef = useRef(activeSlot);
  useEffect(() => {
    activeRef.current = activeSlot;
    const viewport = viewports.current.get(activeSlot);
    const imageId = viewport?.getCurrentImageId();
    if (viewport && imageId) publishCurrent({ slot: activeSlot, imageId, index: viewport.getCurrentImageIdIndex() });
  }, [activeSlot, publishCurrent, registered]);

  const firstShownRef = useRef(false);
  const { restore } = measurements;
  const onShown = useCallback(
    (slot: number, imageId: string, index: number) => {
      const viewport = viewports.current.get(slot);
      if (viewport) restore(viewport, imageId);
      if (!firstShownRef.current) {
        firstShownRef.current = true;
        setFirstShown(true);
      }
      noteImage(imageId);
      if (slot === activeRef.current) publishCurrent({ slot, imageId, index });
    },
    [restore, publishCurrent, noteImage],
  );

  const onViewport = useCallback(
    (slot: number, viewport: Types.IStackViewport | null) => {
      if (!viewport) stopCine(slot);
      if (viewport) viewports.current.set(slot, viewport);
      else viewports.current.delete(slot);
      bumpRegistered();
    },
    [stopCine],
  );

  const resizeFrame = useRef(0);
  const onResize = useCallback(() => {
    if (resizeFrame.current) return;
    resizeFrame.current = requestAnimationFrame(() => {
      resizeFrame.current = 0;
      if (parts && !parts.engine.hasBeenDestroyed) parts.engine.resize(true, true);
    });
  }, [parts]);

  // Synchronised scrolling among the visible viewports, by frame of reference.
  useEffect(() => {
    if (!sync || !parts) return;
    const members = [];
    for (let slot = 0; slot < count; slot++) {
      const assignment = slots[slot];
      if (!assignment || !viewports.current.has(slot)) continue;
      members.push({
        viewportId: viewportIdOf(slot),
        renderingEngineId: parts.engine.id,
        frameOfReferenceUid: assignment.stack.series.frameOfReferenceUid,
        images: assignment.stack.images,
      });
    }
    const byId = (id: string) => [...viewports.current.values()].find((v) => v.id === id);
    return linkByFrameOfReference(members, byId);
  }, [sync, parts, slots, count, registered]);

  const assign = useCallback(
    (slot: number, seriesInstanceUid: string, startIndex = 0) => {
      const stack = stacks.bySeries.get(seriesInstanceUid);
      if (!stack) return;
      stopCine(slot);
      setSlots((s) => s.map((a, i) => (i === slot ? { stack, startIndex } : a)));
    },
    [stacks, stopCine],
  );

  const chooseTool = (next: ToolKey) => {
    if (!parts || (MEASURING_TOOLS.includes(next) && !canMeasure)) return;
    setPrimaryTool(parts.toolGroup, tool, next, canMeasure);
    setTool(next);
  };
  const onPreset = (preset: WindowPreset) => {
    const viewport = activeViewport();
    if (viewport) applyWindow(viewport, preset.center, preset.width);
  };
  const onAction = (action: ViewAction) => {
    const viewport = activeViewport();
    if (viewport) applyViewAction(viewport, action);
  };
  const onLayout = useCallback(
    (next: Layout) => {
      for (const slot of cine.playing) if (slot >= CELLS[next]) stopCine(slot);
      setLayout(next);
      setActive((a) => (a >= CELLS[next] ? 0 : a));
    },
    [cine.playing, stopCine],
  );
  // View > Layout in the desktop app's menu.
  useEffect(
    () =>
      api().on('app.command', ({ command }) => {
        const layout = viewerLayoutOf(command);
        if (layout) onLayout(layout);
      }),
    [onLayout],
  );
  const onSelectMeasurement = (m: Measurement) => {
    const imageId = stacks.imageIdOf(m.sopInstanceUid, m.frame);
    const ref = imageId ? stacks.byImageId.get(imageId) : undefined;
    if (!ref) return;
    const viewport = activeViewport();
    if (viewport && slots[activeSlot]?.stack.series.seriesInstanceUid === ref.seriesInstanceUid) scrollTo(viewport, ref.index);
    else assign(activeSlot, ref.seriesInstanceUid, ref.index);
  };
  const exportPng = () => {
    const viewport = activeViewport();
    const assignment = slots[activeSlot];
    const ref = viewport ? stacks.byImageId.get(viewport.getCurrentImageId()) : undefined;
    if (!viewport || !assignment || !ref) return;
    const name = `${study.patientId || 'image'}-se${assignment.stack.series.seriesNumber ?? 0}-im${ref.index + 1}.png`.replace(/[^\w.-]+/g, '_');
    api()
      .invoke('instances.exported', { studyInstanceUid: study.studyInstanceUid, sopInstanceUid: ref.sopInstanceUid, format: 'png' })
      .then(() => viewportPng(viewport.element))
      .then((png) => download(png, name))
      .catch(onError);
  };

  const presets = useMemo(
    () => presetsFor(slots[activeSlot]?.stack.series.modality ?? '', current?.slot === activeSlot ? fileWindows(current.imageId) : []),
    [slots, activeSlot, current],
  );

  useViewerKeys((command: Command): boolean => {
    const viewport = activeViewport();
    switch (command.kind) {
      case 'scroll':
        if (viewport) scrollBy(viewport, command.delta);
        return true;
      case 'jump':
        if (viewport) scrollTo(viewport, command.to === 'first' ? 0 : viewport.getImageIds().length - 1);
        return true;
      case 'tool':
        chooseTool(command.tool);
        return true;
      case 'view':
        onAction(command.action);
        return true;
      case 'preset':
        if (presets[command.index]) onPreset(presets[command.index]);
        return true;
      case 'cine':
        cine.toggle(activeSlot);
        return true;
      case 'sync':
        setSync((s) => !s);
        return true;
      case 'help':
        setHelp((h) => !h);
        return true;
      case 'nextViewport':
        if (count < 2) return false;
        setActive((activeSlot + 1) % count);
        return true;
      case 'deleteMeasurement':
        if (canMeasure) measurements.removeSelected();
        return canMeasure;
      case 'export':
        if (canExport) exportPng();
        return canExport;
    }
  });
  useEffect(() => {
    if (!help) return;
    const onEscape = (e: KeyboardEvent) => e.key === 'Escape' && setHelp(false);
    window.addEventListener('keydown', onEscape);
    return () => window.removeEventListener('keydown', onEscape);
  }, [help]);

  const activeStack = slots[activeSlot]?.stack ?? null;
  const currentSop = current?.slot === activeSlot ? stacks.byImageId.get(current.imageId)?.sopInstanceUid ?? null : null;

  return (
    <div className={`nv-viewer${sidebar ? ' nv-with-sidebar' : ''}`} data-testid="viewer">
      <ViewerToolbar
        layout={layout}
        onLayout={onLayout}
        tool={tool}
        onTool={chooseTool}
        canMeasure={canMeasure}
        presets={presets}
        onPreset={onPreset}
        onAction={onAction}
        cinePlaying={cine.playing.has(activeSlot)}
        onCine={() => cine.toggle(activeSlot)}
        fps={cine.fps}
        onFps={cine.setFps}
        sync={sync}
        onSync={() => setSync((s) => !s)}
        canExport={canExport}
        onExport={exportPng}
        sidebar={sidebar}
        onSidebar={() => setSidebar((s) => !s)}
        onHelp={() => setHelp(true)}
        onClose={onClose}
      />
      <SeriesPanel stacks={stacks.stacks} thumbnails={thumbnails} activeSeries={activeStack?.series.seriesInstanceUid ?? null} onPick={(uid) => assign(activeSlot, uid)} />
      <div className="nv-grid" data-layout={layout}>
        {parts &&
          slots.slice(0, count).map((assignment, slot) => (
            <Viewport
              key={slot}
              slot={slot}
              engine={parts.engine}
              toolGroup={parts.toolGroup}
              study={study}
              assignment={assignment}
              active={slot === activeSlot}
              onActivate={setActive}
              onDropSeries={(target, uid) => {
                assign(target, uid);
                setActive(target);
              }}
              onViewport={onViewport}
              onShown={onShown}
              onResize={onResize}
            />
          ))}
      </div>
      {sidebar && (
        <aside className="nv-sidebar">
          {canMeasure && <MeasurementPanel items={measurements.items} stacks={stacks} onSelect={onSelectMeasurement} onDelete={measurements.remove} />}
          <TagBrowser sopInstanceUid={currentSop} onError={onError} />
        </aside>
      )}
      {help && <HelpOverlay canMeasure={canMeasure} onClose={() => setHelp(false)} />}
    </div>
  );
}
