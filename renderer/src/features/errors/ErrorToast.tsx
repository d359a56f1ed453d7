import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { copyText } from '../../ui/copyText';

/** What support needs to find the error: its code, texts and the id of its log line. */
export function errorDetails(error: ErrorInfo, when = new Date()): string {
  return [`Noctis error ${error.code}`, error.message, error.recovery, `Error id: ${error.errorId}`, `Time: ${when.toISOString()}`].join('\n');
}

export function ErrorToast({ error, onDismiss }: { error: ErrorInfo; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="error-toast" role="alert" data-testid="error-toast" data-code={error.code} data-error-id={error.errorId}>
      <strong>{error.message}</strong> {error.recovery}
      <small>
        {' '}
        (error {error.code}, id {error.errorId})
      </small>
      <span className="error-actions">
        <button data-testid="error-copy" onClick={() => void copyText(errorDetails(error)).then(() => setCopied(true))}>
          {copied ? 'Copied' : 'Copy details'}
        </button>
        <button onClick={onDismiss}>Dismiss</button>
      </span>
    </div>
  );
}
