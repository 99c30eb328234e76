import { issueAt, type ConfigIssue, type PathSegment } from './issues.js';

/** Where `${env:NAME}` references are looked up; `process.env` by default. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const REFERENCE = /\$\{(env|input):([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replace every `${env:NAME}` in `value` with the variable's value (an empty value counts as set).
 * A missing variable, a malformed name, or a VS Code `${input:...}` prompt adds an issue at `path` and
 * leaves the text as it was. Anything else, `${secret:NAME}` included, is left untouched. There is no
 * escape syntax and no default-value syntax.
 */
export function expandEnv(value: string, path: readonly PathSegment[], env: EnvSource, issues: ConfigIssue[]): string {
  return value.replace(REFERENCE, (whole: string, kind: string, name: string) => {
    if (kind === 'input') {
      issues.push(issueAt(path, `${whole} is a VS Code input prompt, which Switchboard does not support; use \${env:NAME} instead`));
    } else if (!ENV_NAME.test(name)) {
      issues.push(issueAt(path, `malformed ${whole}: NAME must be letters, digits and _ and not start with a digit`));
    } else if (env[name] === undefined) {
      issues.push(issueAt(path, `environment variable ${name} is not set (referenced as ${whole})`));
    } else {
      return env[name];
    }
    return whole;
  });
}

/** Expand every value of a string map (keys are left as written). */
export function expandEnvValues(
  map: Record<string, string>,
  path: readonly PathSegment[],
  env: EnvSource,
  issues: ConfigIssue[],
): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, expandEnv(value, [...path, key], env, issues)]));
}
