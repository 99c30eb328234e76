import { stem } from './stemmer.js';

/**
 * Words that carry no meaning for finding a tool. Kept short on purpose: "get", "list", "all" and
 * "new" are meaningful in tool names, so they stay.
 */
const STOPWORDS = new Set(
  'a an the and or of to in on at by for from with into onto is are was were be been being it its this that these those as i me my we our you your he she they them their do does did done can could should would will shall may might must please some any which what when where who whom how there here than then so such via per also just only about over using use used'.split(
    ' ',
  ),
);

/**
 * Split text and identifiers into lower-case words: on anything that is not a letter or digit, on
 * camelCase and PascalCase boundaries ("getFileInfo" → get file info, "HTMLParser" → html parser), and
 * between letters and digits ("v2api" → v 2 api).
 */
export function words(text: string): string[] {
  const out: string[] = [];
  const spaced = text
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase();
  for (const w of spaced.split(/[^\p{L}\p{N}]+/u)) if (w) out.push(w);
  return out;
}

/** Words reduced to index terms: stopwords dropped, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOPWORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** Whether a word is a stopword (queries keep stopwords out of typo correction too). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
