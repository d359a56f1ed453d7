// The viewer's keyboard: shortcuts while the focus is not in a field of a form.
import { useEffect, useRef } from 'react';
import { commandFor, type Command } from './shortcuts';

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function useViewerKeys(run: (command: Command) => boolean): void {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
      // A focused button takes Space and Enter itself; Tab moves the focus unless nothing has it.
      if (target?.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
      if (e.key === 'Tab' && target !== document.body) return;
      const command = commandFor(e);
      if (command && latest.current(command)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
