// The main window's position, size, maximized and full-screen state, kept between runs in
// <dataDir>/window-state.json. What is read is checked: a bad file gives the defaults, and a
// position on a display that is no longer there is dropped so that the window opens centred.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Display, Rectangle } from 'electron';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  /** Absent: let the window manager centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

/** The window's default and minimum size (from its constructor options). */
export interface WindowSize {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** Electron's `screen`, or what a test passes for it. */
export interface Displays {
  getAllDisplays(): Array<Pick<Display, 'workArea'>>;
}

/** The parts of a BrowserWindow the state is read from and listens to. */
export type TrackedWindow = Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized' | 'isFullScreen' | 'isDestroyed' | 'on'>;

/** How much of a window must lie on a display's work area for its saved position to be kept. */
const MIN_VISIBLE_PX = 64;

export function windowStateFile(dataDir: string): string {
  return path.join(dataDir, WINDOW_STATE_FILE);
}

export function defaultWindowState(size: WindowSize): WindowState {
  return { width: size.width, height: size.height, maximized: false, fullScreen: false };
}

/** The saved state, checked against the window's limits and today's displays; defaults when unusable. */
export function loadWindowState(dataDir: string, size: WindowSize, displays: Displays): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(windowStateFile(dataDir), 'utf8'));
  } catch {
    return defaultWindowState(size);
  }
  return validateWindowState(raw, size, displays);
}

export function validateWindowState(raw: unknown, size: WindowSize, displays: Displays): WindowState {
  const state = defaultWindowState(size);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return state;
  const value = raw as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

  if (finite(value.width) && finite(value.height)) {
    state.width = Math.max(Math.round(value.width), size.minWidth);
    state.height = Math.max(Math.round(value.height), size.minHeight);
  }
  state.maximized = value.maximized === true;
  state.fullScreen = value.fullScreen === true;
  if (finite(value.x) && finite(value.y)) {
    const bounds = { x: Math.round(value.x), y: Math.round(value.y), width: state.width, height: state.height };
    if (isVisible(bounds, displays)) {
      state.x = bounds.x;
      state.y = bounds.y;
    }
  }
  return state;
}

/** True when enough of the rectangle lies on one display's work area to grab the window. */
export function isVisible(bounds: Rectangle, displays: Displays): boolean {
  const needX = Math.min(MIN_VISIBLE_PX, bounds.width);
  const needY = Math.min(MIN_VISIBLE_PX, bounds.height);
  return displays.getAllDisplays().some(({ workArea }) => {
    const overlapX = Math.min(bounds.x + bounds.width, workArea.x + workArea.width) - Math.max(bounds.x, workArea.x);
    const overlapY = Math.min(bounds.y + bounds.height, workArea.y + workArea.height) - Math.max(bounds.y, workArea.y);
    return overlapX >= needX && overlapY >= needY;
  });
}

/** Writes the state to a temporary file, then renames it over the old one: never half a file. */
export function saveWindowState(dataDir: string, state: WindowState): void {
  const file = windowStateFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** The window's state now; bounds are the normal (restored) ones, also when maximized or full screen. */
export function currentWindowState(win: Pick<TrackedWindow, 'getNormalBounds' | 'isMaximized' | 'isFullScreen'>): WindowState {
  const { x, y, width, height } = win.getNormalBounds();
  return { x, y, width, height, maximized: win.isMaximized(), fullScreen: win.isFullScreen() };
}

export interface TrackOptions {
  /** Resize and move events are saved this long after the last one. */
  debounceMs?: number;
  /** A save failed (full disk, read-only data directory): the window carries on. */
  onError?: (err: unknown) => void;
}

/** Saves the window's state when it closes, and shortly after it is moved or resized. */
export function trackWindowState(win: TrackedWindow, dataDir: string, options: TrackOptions = {}): void {
  const { debounceMs = 1000, onError } = options;
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    try {
      saveWindowState(dataDir, currentWindowState(win));
    } catch (err) {
      onError?.(err);
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
    timer.unref();
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('enter-full-screen', later);
  win.on('leave-full-screen', later);
  win.on('close', save);
  win.on('closed', () => clearTimeout(timer));
}
