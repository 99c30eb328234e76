import type { ApiApp, ApiDeps } from '../api-app.js';
import { toolboxRoutes } from './toolbox.js';
import { authRoutes } from './auth.js';
import { keyRoutes } from './keys.js';
import { userRoutes } from './users.js';
import { activityRoutes } from './activity.js';
import { eventRoutes } from './events.js';
import { serverRoutes } from './servers.js';
import { serverOperationRoutes } from './server-operations.js';
import { systemRoutes } from './system.js';
import { secretRoutes } from './secrets.js';
import { settingsRoutes } from './settings.js';
import { configRoutes } from './config.js';
import { transferRoutes } from './transfer.js';
import { consoleRoutes } from './console.js';
import { hostedToolRoutes } from './hosted-tools.js';
import { approvalRoutes } from './approvals.js';
import { searchRoutes } from './search.js';
import { trustRoutes } from './trust.js';
import { profileRoutes } from './profiles.js';
import { externalSourceRoutes } from './external-sources.js';

/** One function per route group; each registers its routes with full zod schemas. */
export type RouteGroup = (app: ApiApp, deps: ApiDeps) => void;

export const ROUTE_GROUPS: RouteGroup[] = [authRoutes, userRoutes, keyRoutes, activityRoutes, eventRoutes, toolboxRoutes, serverRoutes, serverOperationRoutes, systemRoutes, secretRoutes, settingsRoutes, configRoutes, transferRoutes, consoleRoutes, hostedToolRoutes, approvalRoutes, searchRoutes, trustRoutes, profileRoutes, externalSourceRoutes];
