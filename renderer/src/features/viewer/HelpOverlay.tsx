import { keyLabel, SHORTCUTS } from './shortcuts';

/** The keyboard shortcuts, from the same table the key handler reads. */
export function HelpOverlay({ canMeasure, onClose }: { canMeasure: boolean; onClose: () => void }) {
  const shown = SHORTCUTS.filter((s) => canMeasure || !(s.command.kind === 'tool' && s.command.measuring) && s.command.kind !== 'deleteMeasurement');
  return (
    <div className="nv-help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help-overlay" onClick={onClose}>
      <div className="nv-help-card" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Keyboard shortcuts</h2>
          <button type="button" onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        <table>
          <tbody>
            {shown.map((s) => (
              <tr key={s.label}>
                <td>
                  {s.command.kind === 'preset' ? (
                    <>
                      <kbd>1</kbd>–<kbd>9</kbd>
                    </>
                  ) : (
                    s.keys.map((k) => <kbd key={k}>{keyLabel(k)}</kbd>)
                  )}
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="nv-muted">Mouse: left button uses the chosen tool, right drag zooms, middle drag pans, the wheel scrolls.</p>
        <p className="nv-muted">In the desktop app, View › Layout switches layouts (Ctrl+Alt+1 to 4; ⌘⌥ on macOS).</p>
      </div>
    </div>
  );
}
