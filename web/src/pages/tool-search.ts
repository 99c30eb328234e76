/** The fields ranking looks at (a structural type, so this file imports nothing and tests stand alone). */
export interface SearchableTool {
  name: string;
  exposed_name: string | null;
  title: string | null;
  description: string | null;
}

/** Rank by where the words occur: exact name, name, then description. Every word must occur somewhere. */
export function scoreTool(tool: SearchableTool, server: string, words: string[]): number {
  if (words.length === 0) return 1;
  const name = (tool.exposed_name ?? tool.name).toLowerCase();
  const text = `${tool.title ?? ''} ${tool.description ?? ''} ${server}`.toLowerCase();
  let score = 0;
  for (const w of words) {
    if (name === w || tool.name.toLowerCase() === w) score += 10;
    else if (name.includes(w)) score += 5;
    else if (text.includes(w)) score += 1;
    else return 0;
  }
  return score;
}
