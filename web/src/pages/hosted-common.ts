import type { Tone } from '../ui/controls';

/** What the hosted-tool pages share. */

export const TOOL_STATUS_TONE: Record<string, Tone> = { draft: 'neutral', pending_review: 'warn', approved: 'ok', rejected: 'bad', revoked: 'bad' };

/** A new tool starts from this: the smallest complete example of the `main` contract. */
export const STARTER_CODE = `async def main(name: str = "world") -> str:
    """Say hello to someone."""
    return f"Hello, {name}!"
`;
