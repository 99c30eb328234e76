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
export type HostedServer = Answer<'/api/hosted-servers/{name}'>;
export type HostedTool = Answer<'/api/tools/{id}'>;
export type ToolVersion = Answer<'/api/tools/{id}/versions'>['items'][number];
export type CodeCheck = Answer<'/api/tools/validate-code', 'post'>;
export type TestRun = Answer<'/api/tools/test-code', 'post'>;
export type AccessRequest = Answer<'/api/approvals/modules'>['items'][number];
export type SearchResult = Answer<'/api/tools/search'>['results'][number];
export type Profile = Answer<'/api/profiles/{name}'>;
export type TrustPin = Answer<'/api/trust/pending'>['items'][number];
export type TrustDiff = Answer<'/api/servers/{name}/tools/{item}/diff'>;
export type ServerTrust = Answer<'/api/servers/{name}/trust'>;
export type ToolExecution = Answer<'/api/tools/{id}/logs'>['items'][number];
export type ExternalSource = Answer<'/api/external-sources/{id}'>;
export type Discovery = Answer<'/api/external-sources/{id}/discover', 'post'>;
export type ImportResult = Answer<'/api/external-sources/{id}/import', 'post'>;
