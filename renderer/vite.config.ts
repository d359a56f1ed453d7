import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig, type Logger } from 'vite';
import react from '@vitejs/plugin-react';
import { jpeg12BitLevelShift } from './build/jpeg12BitLevelShift';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the same build is served from noctis://app/ and http://127.0.0.1:port/.
  base: './',
  // The app icon doubles as the favicon.
  publicDir: fileURLToPath(new URL('../assets', import.meta.url)),
  plugins: [react(), jpeg12BitLevelShift()],
  customLogger: quietLogger(),
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  // The decoders run in the worker bundle.
  worker: { format: 'es', plugins: () => [jpeg12BitLevelShift()] },
  optimizeDeps: {
    // In dev the CommonJS codec entries must be pre-bundled, or the decode worker fails silently.
    include: [
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
    ],
  },
});

/** The codecs' Emscripten glue names fs/path for Node; in the browser that is expected, not news. */
function quietLogger(): Logger {
  const logger = createLogger();
  const warn = logger.warn.bind(logger);
  logger.warn = (message, options) => {
    if (message.includes('externalized for browser compatibility')) return;
    warn(message, options);
  };
  return logger;
}
