import type { Answer, Body } from './client';

/** Named shapes the pages share, all derived from the generated API types. */
export type Server = Answer<'/api/servers/{name}'>;
export type ServerTools = Answer<'/api/servers/{name}/tools'>;
export type Tool = ServerTools['tools'][number];
export type InvokeResult = Answer<'/api/servers/{name}/invoke', 'post'>;
export type ActivityPage = Answer<'/api/activity/logs'>;
export type ActivityItem = ActivityPage['items'][number];
export type ActivityDetail = Answer<'/api/activity/logs/{id}'>;
export type ActivityStats = Answer<'/api/activity/stats'>;
export type ApiKey = Answer<'/api/keys/{id}'>;
export type Scope = ApiKey['scopes'][number];
export type User = Answer<'/api/users/{id}'>;
export type Me = Answer<'/auth/me'>;
export type Settings = Answer<'/api/settings'>['settings'];
export type ImportPlan = Answer<'/api/import', 'post'>;
export type NewServer = Body<'/api/servers', 'post'>;
export type Secret = Answer<'/api/servers/{name}/secrets'>['items'][number];

export const SCOPES: readonly Scope[] = ['read', 'write', 'execute', 'admin'];
