import { Component, type ErrorInfo as ReactErrorInfo, type ReactNode } from 'react';
import { ERROR_CATALOGUE, type ErrorInfo } from '../../../../shared/errors';
import { ErrorToast } from './ErrorToast';
import { reportError } from './reportError';

interface State {
  failed: ErrorInfo | null;
}

/** A render error replaces the window's content with what happened and its errorId. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: null };

  static getDerivedStateFromError(): Partial<State> {
    // Shown at once; the errorId arrives when the core has logged it.
    return { failed: { code: 'UI_ERROR', ...ERROR_CATALOGUE.UI_ERROR, errorId: '…' } };
  }

  override componentDidCatch(error: Error, info: ReactErrorInfo): void {
    const withStack = Object.assign(new Error(error.message), { name: error.name, stack: `${error.stack ?? ''}\n${info.componentStack ?? ''}` });
    void reportError(withStack, 'render').then((failed) => this.setState({ failed }));
  }

  override render() {
    const { failed } = this.state;
    if (!failed) return this.props.children;
    return (
      <div className="fatal">
        <ErrorToast error={failed} onDismiss={() => window.location.reload()} />
      </div>
    );
  }
}
