// The privileged noctis:// scheme: the renderer's files and instance bytes, streamed from disk
// so that pixel data never travels as IPC messages.
import type { CustomScheme } from 'electron';
import { appResponse, textResponse, type InstanceSource } from '../core/serve/responses';

export const SCHEME = 'noctis';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;

/** Must be registered before the app is ready. */
export const SCHEME_PRIVILEGES: CustomScheme = {
  scheme: SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true },
};


export function instanceUrl(sopInstanceUid: string): string {
  return `${APP_ORIGIN}/instances/${sopInstanceUid}`;
}

/** The handler for protocol.handle(SCHEME, …): a web-standard Request → Response. */
export function createProtocolHandler(files: InstanceSource, rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (new URL(request.url).host !== APP_HOST) return textResponse(404, 'Not found');
    return appResponse(files, rendererDir, request);
  };
}
