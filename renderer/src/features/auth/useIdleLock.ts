import { useEffect } from 'react';
import { api } from '../../api/client';

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const TICK_MS = 1000;

/**
 * Calls onIdle (which locks) after `idleLockSeconds` without input, and tells the core the user is there
 * (auth.activity) at most every min(30 s, idle/4) so that its own idle lock does not fire first.
 * Input handlers only note the time: they are passive and do no work per event.
 */
export function useIdleLock(
  active: boolean,
  idleLockSeconds: number,
  onIdle: () => void,
  onCoreLocked: () => void,
  onError: (error: unknown) => void,
): void {
  useEffect(() => {
    if (!active) return;
    let lastInput = Date.now();
    let lastSent = lastInput;
    let locking = false;
    const idleMs = idleLockSeconds * 1000;
    const sendEveryMs = Math.min(30_000, idleMs / 4);
    const onInput = () => {
      lastInput = Date.now();
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { passive: true, capture: true });
    const timer = setInterval(() => {
      if (locking) return;
      const now = Date.now();
      if (now - lastInput >= idleMs) {
        locking = true;
        onIdle();
      } else if (lastInput > lastSent && now - lastSent >= sendEveryMs) {
        lastSent = now;
        api()
          .invoke('auth.activity', {})
          .then(({ locked }) => locked && onCoreLocked(), onError);
      }
    }, TICK_MS);
    return () => {
      clearInterval(timer);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
    };
  }, [active, idleLockSeconds, onIdle, onCoreLocked, onError]);
}
