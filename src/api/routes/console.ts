import { errorEnvelope, SwitchboardError } from '../../shared/index.js';
import type { ApiApp, ApiDeps } from '../api-app.js';
import { DEFAULT_CONSOLE_DIR, isApiPath, resolveConsoleAsset } from '../console-assets.js';

/**
 * The web console at `/`: its built files, and index.html for any other non-API GET (client-side
 * routes survive a reload). Public: the page itself holds no data; every call it makes is guarded.
 * `SWITCHBOARD_CONSOLE_DIR` points at another build (tests, development).
 */
export function consoleRoutes(app: ApiApp, deps: ApiDeps): void {
  const dir = deps.admin.deps.env['SWITCHBOARD_CONSOLE_DIR'] || DEFAULT_CONSOLE_DIR;
  const notFound = (method: string, path: string) => errorEnvelope(new SwitchboardError('SWB_HTTP_ROUTE_NOT_FOUND', `No route for ${method} ${path}`));

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (isApiPath(path)) return reply.code(404).send(notFound(req.method, path));
    const asset = await resolveConsoleAsset(dir, path);
    if (!asset) return reply.code(404).send(notFound(req.method, path));
    reply.headers(asset.headers);
    if (asset.headers['etag'] && req.headers['if-none-match'] === asset.headers['etag']) return reply.code(304).send();
    return reply.code(asset.status).send(asset.body);
  });
}
