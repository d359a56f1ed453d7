import type { ReactNode } from 'react';

interface Props {
  title: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  actions?: ReactNode;
}

/** A floating panel over the study list and viewer (health, logs, settings). */
export function Panel({ title, testId, onClose, children, actions }: Props) {
  return (
    <div className="panel" role="dialog" aria-label={title} data-testid={testId}>
      <header>
        <h2>{title}</h2>
        <span className="panel-actions">
          {actions}
          <button onClick={onClose} aria-label="Close">
            ×
          </button>
        </span>
      </header>
      {children}
    </div>
  );
}
