// Web-standard responses (Request → Response) for the renderer's files and instance bytes.
// Both transports use them: the host through Node's http server, the shell through
// Electron's protocol.handle. Plain Node: no Electron here.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/** The renderer's Content-Security-Policy, the same in both transports. */
export const RENDERER_CSP = [
  "default-src 'self'",
  // The image codecs are WebAssembly, compiled in the decode workers.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  // Cornerstone and React set element styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

/** Serves a file of the built renderer; unknown paths get index.html (one-page app). */
export async function rendererFile(rendererDir: string, urlPath: string, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const root = path.resolve(rendererDir);
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return textResponse(400, 'Bad path');
  }
  let file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return textResponse(403, 'Forbidden');
  let stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) {
    if (path.extname(file)) return textResponse(404, 'Not found');
    file = path.join(root, 'index.html');
    stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat?.isFile()) return textResponse(404, 'The renderer is not built: run npm run build.');
  }
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'content-type': type,
    'content-length': String(stat.size),
    'cache-control': 'no-cache',
    ...SECURITY_HEADERS,
    ...extraHeaders,
  };
  if (type.startsWith('text/html')) headers['content-security-policy'] = RENDERER_CSP;
  return new Response(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, { status: 200, headers });
}

export type ByteRange = { start: number; end: number };

/** Parses a single `bytes=` range (RFC 9110); multi-ranges are served whole. */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Streams a stored file with a correct Content-Length, honouring a Range request. */
export function fileBytes(file: { path: string; size: number; prefix?: Buffer }, rangeHeader: string | null, contentType: string): Response {
  if (file.prefix) return prefixedBytes(file as { path: string; size: number; prefix: Buffer }, contentType);
  const range = parseRange(rangeHeader, file.size);
  const base = { 'content-type': contentType, 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=31536000, immutable', ...SECURITY_HEADERS };
  if (range === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...base, 'content-range': `bytes */${file.size}` } });
  }
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  const length = file.size === 0 ? 0 : end - start + 1;
  const body = length === 0 ? null : (Readable.toWeb(fs.createReadStream(file.path, { start, end })) as ReadableStream);
  const headers: Record<string, string> = { ...base, 'content-length': String(length) };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
  return new Response(body, { status: range ? 206 : 200, headers });
}

/** A bare dataset with its generated Part 10 header in front: served whole (no ranges). */
function prefixedBytes(file: { path: string; size: number; prefix: Buffer }, contentType: string): Response {
  const rest = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new Uint8Array(file.prefix));
      for await (const chunk of rest) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': contentType, 'content-length': String(file.prefix.length + file.size), ...SECURITY_HEADERS },
  });
}

const INSTANCE_ROUTE = /^\/instances\/([0-9.]{1,64})$/;

/** `/instances/<SOPInstanceUID>` → the UID, else undefined. */
export function instanceRoute(urlPath: string): string | undefined {
  return INSTANCE_ROUTE.exec(urlPath)?.[1];
}

/** Where the byte routes find instances: only for the `k` key of a session allowed to see them. */
export interface InstanceSource {
  instanceFileForKey(sopInstanceUid: string, key: string | null): { path: string; size: number; prefix?: Buffer } | undefined;
}

/** Everything a renderer window fetches: instance bytes, else the renderer's own files. */
export async function appResponse(
  source: InstanceSource,
  rendererDir: string,
  request: Request,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
  const url = new URL(request.url);
  const sop = instanceRoute(url.pathname);
  if (sop !== undefined) {
    // Unknown, another facility's, or a locked or ended session: the same answer for all.
    const file = source.instanceFileForKey(sop, url.searchParams.get('k'));
    if (!file) return textResponse(404, 'No such instance');
    return fileBytes(file, request.headers.get('range'), 'application/dicom');
  }
  return rendererFile(rendererDir, url.pathname, extraHeaders);
}
