// The local host: the built renderer, the handler table over WebSocket and instance bytes over
// HTTP, on 127.0.0.1 only, for a random token per start. Used by `noctis serve`, tests and
// headless installs; the Electron shell is the other transport over the same core.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES } from '../../shared/api';
import type { Core } from '../core';
import type { CallContext } from '../core/api/handlers';
import type { Connection } from '../core/auth/sessions';
import { appResponse, textResponse } from '../core/serve/responses';
import { parseClientMessage, type ServerMessage } from './protocol';
import { receiveUpload, uploadTarget } from './uploads';

export interface HostOptions {
  core: Core;
  rendererDir: string;
  /** 0 or undefined: any free port. */
  port?: number;
  token?: string;
}

export interface Host {
  /** Open this in a browser: it carries the token. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'noctis_token';
const HOSTNAME = '127.0.0.1';

export async function startHost(options: HostOptions): Promise<Host> {
  const { core, rendererDir } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = core.log.scope('host');
  let origin = '';
  let allowedHosts: string[] = [];

  const authorised = (req: http.IncomingMessage, url: URL): boolean => {
    // A page on another site that resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
    if (!allowedHosts.includes(req.headers.host ?? '')) return false;
    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    const cookie = parseCookies(req.headers.cookie)[COOKIE];
    return [url.searchParams.get('token'), auth, cookie].some((t) => t !== undefined && t !== null && sameToken(t, token));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (!authorised(req, url)) {
      void send(res, textResponse(401, 'Missing or wrong token: open the URL that noctis serve printed.'));
      return;
    }
    if (req.method === 'PUT') {
      const target = uploadTarget(path.join(core.paths.tmpDir, 'uploads'), url.pathname);
      if (!target) {
        void send(res, textResponse(400, 'Not a valid upload path'));
        return;
      }
      receiveUpload(req, target)
        .then(() => send(res, textResponse(201, 'Stored')))
        .catch((error: unknown) => {
          log.warn('host.upload_failed', { path: url.pathname, error });
          if (!res.headersSent) void send(res, textResponse(409, 'Upload failed'));
        });
      return;
    }
    // The page's own requests (scripts, workers, WASM, images) then carry the cookie.
    const setCookie = url.searchParams.get('token') ? { 'set-cookie': `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict` } : undefined;
    const request = new Request(url, { method: req.method, headers: toHeaders(req.headers) });
    appResponse(core, rendererDir, request, setCookie)
      .then((response) => send(res, response, req.method === 'HEAD'))
      .catch((error: unknown) => {
        log.error('host.request_failed', { path: url.pathname, error });
        if (!res.headersSent) void send(res, textResponse(500, 'Internal error'));
        else res.destroy();
      });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const fromOurPage = allowedHosts.some((host) => req.headers.origin === `http://${host}`);
    if (url.pathname !== '/api' || !authorised(req, url) || !fromOurPage) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket) => {
    const post = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // One socket is one browser tab: its session (sign-in, lock) belongs to it alone.
    const connection: Connection = { notify: (data) => post({ event: 'auth.changed', data }) };
    const ctx: CallContext = { instanceUrl: (sop: string) => `${origin}/instances/${sop}`, connection };
    const unsubscribe = EVENT_NAMES.map((event) =>
      core.on(event, (data) => {
        const visible = core.visibleEvent(connection, event, data);
        if (visible !== undefined) post({ event, data: visible });
      }),
    );
    ws.on('message', (raw, isBinary) => {
      const message = !isBinary && Buffer.isBuffer(raw) ? parseClientMessage(raw.toString('utf8')) : undefined;
      if (!message) {
        ws.close(1003, 'Malformed message');
        return;
      }
      void core.dispatch(message.channel, message.payload, ctx).then((reply) => post({ id: message.id, reply }));
    });
    ws.on('close', () => {
      unsubscribe.forEach((off) => off());
      // A closed tab signs its session out (a reload signs in again).
      core.disconnect(connection);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOSTNAME, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOSTNAME}:${port}`;
  allowedHosts = [`${HOSTNAME}:${port}`, `localhost:${port}`];
  log.info('host.listening', { origin });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function toHeaders(headers: http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out.set(name, value);
  }
  return out;
}

async function send(res: http.ServerResponse, response: Response, headOnly = false): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body || headOnly) {
    await response.body?.cancel();
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body);
  body.on('error', () => res.destroy());
  body.pipe(res);
}
