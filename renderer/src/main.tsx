import { createRoot } from 'react-dom/client';
import { connectApi } from './api/client';
import { App } from './App';
import { ErrorBoundary } from './features/errors/ErrorBoundary';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
connectApi().then(
  () =>
    root.render(
      <ErrorBoundary>
        <App />
      </ErrorBoundary>,
    ),
  (error: unknown) =>
    root.render(
      <p className="fatal" role="alert">
        Noctis cannot reach its core: {error instanceof Error ? error.message : String(error)}. Reload the page, or
        restart Noctis.
      </p>,
    ),
);
