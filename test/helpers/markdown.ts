// Reading Markdown pages for the docs tests: their inline links (outside code blocks and code spans) and their
// headings' anchors, as GitHub makes them. Used by test/docs/math-links.test.ts and test/docs/links.test.ts.

export interface Link {
  text: string;
  target: string;
  line: number;
}

/** Every inline Markdown link [text](target) outside code blocks and code spans, with its 1-based line. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  markdown.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) return;
    // Drop $`math`$ and code spans that hold link syntax (quoted, not links); keep others, which may be link texts.
    const line = raw.replace(/\$?(`+)(?:(?!\1).)*?\1\$?/g, (span) => (span.startsWith('$') || span.includes('](') ? '' : span));
    for (const m of line.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)) links.push({ text: m[1].replace(/`/g, ''), target: m[2], line: i + 1 });
  });
  return links;
}

/** GitHub's anchors for the page's headings: lower case, punctuation dropped, spaces as hyphens. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return anchors;
}
