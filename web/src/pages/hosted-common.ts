import type { Tone } from '../ui/controls';

/** What the hosted-tool pages share. */

export const TOOL_STATUS_TONE: Record<string, Tone> = { draft: 'neutral', pending_review: 'warn', approved: 'ok', rejected: 'bad', revoked: 'bad' };

/** The languages a hosted tool can be written in (the API's `language`). */
export type ToolLanguage = 'python' | 'javascript';

export const LANGUAGE_LABEL: Record<ToolLanguage, string> = { python: 'Python', javascript: 'JavaScript' };

/** A new tool starts from this: the smallest complete example of the `main` contract. */
export const STARTER_CODE = `async def main(name: str = "world") -> str:
    """Say hello to someone."""
    return f"Hello, {name}!"
`;

/** The JavaScript starter: the JSDoc block before `main` gives the description and input schema. */
export const STARTER_CODE_JS = `/**
 * Say hello to someone.
 * @param {object} args
 * @param {string} [args.name=world] - Who to greet.
 */
export default async function main({ name = "world" }) {
  return \`Hello, \${name}!\`;
}
`;

export const STARTER: Record<ToolLanguage, string> = { python: STARTER_CODE, javascript: STARTER_CODE_JS };
