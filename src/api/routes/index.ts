import type { ApiApp, ApiDeps } from '../api-app.js';

/** One function per route group; each registers its routes with full zod schemas. */
export type RouteGroup = (app: ApiApp, deps: ApiDeps) => void;

export const ROUTE_GROUPS: RouteGroup[] = [];
