/**
 * The sandbox's contract: a job in, a result out. Nothing here knows about MCP, hosted servers or the
 * store; hosted/ turns tool versions into jobs and results into MCP content.
 */
import type { EgressPolicy } from './egress.js';
import type { SandboxLimits } from './limits.js';

/** `run` executes a saved or published tool; `test` is test-code (smaller stdout capture). */
export type SandboxMode = 'run' | 'test';

/** The language of a tool: Python (Pyodide) or JavaScript (QuickJS); both run in the same sandbox process. */
export type ToolLanguage = 'python' | 'javascript';

/** One tool call. `arguments` and `secrets` are copied into the interpreter as JSON, never shared. */
export interface SandboxJob {
  /** Python source defining `async def main(...)`, or JavaScript defining `main(args)`. */
  code: string;
  /** Default python. */
  language?: ToolLanguage;
  arguments: Record<string, unknown>;
  /** The hosted server's secrets, exposed to the tool as the read-only `secrets` mapping. */
  secrets: Record<string, string>;
  /** Importable modules (the deployment's whitelist); always-forbidden modules are refused anyway. */
  allowedModules: string[];
  limits?: Partial<SandboxLimits>;
  mode: SandboxMode;
  /** Where the `http` global may go; no egress at all when absent. */
  egress?: EgressPolicy;
}

/** Why a call failed, stable for callers to map to messages and codes. */
export type SandboxErrorKind =
  | 'timeout'
  | 'cpu'
  | 'memory'
  | 'output_too_large'
  | 'forbidden_import'
  | 'forbidden'
  | 'invalid_code'
  | 'exception'
  | 'recursion'
  | 'crashed'
  | 'cancelled'
  | 'unavailable';

export interface SandboxSuccess {
  ok: true;
  /** The return value, JSON-safe (non-JSON values were converted with str()). */
  value: unknown;
  /** The return value when it was a dict. */
  structuredContent?: Record<string, unknown>;
  /** The text block: a str as is, other values as JSON, None as ''. */
  text: string;
  stdout: string;
  durationMs: number;
  httpRequests: number;
}

export interface SandboxFailure {
  ok: false;
  error: { kind: SandboxErrorKind; message: string };
  stdout: string;
  durationMs: number;
  httpRequests: number;
}

export type SandboxResult = SandboxSuccess | SandboxFailure;

/** One finding of `analyze`. */
export interface CodeProblem {
  kind: 'syntax' | 'size' | 'contract' | 'forbidden_import' | 'forbidden';
  message: string;
  line?: number;
  col?: number;
}

/** validate-code and the schema of `main`, computed inside a sandbox. */
export interface CodeAnalysis {
  valid: boolean;
  errors: CodeProblem[];
  warnings: CodeProblem[];
  imports: string[];
  description?: string;
  inputSchema?: Record<string, unknown>;
}

/** One isolation layer and whether it is active on this host. */
export interface SandboxLayer {
  name: string;
  active: boolean;
  detail: string;
}
