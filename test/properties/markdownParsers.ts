/**
 * Real Markdown parsers, used only if they are already installed. Neither is a
 * dependency of this package: `markdown-it` (CommonMark, plus GFM tables,
 * strikethrough and, with `linkify`, bare-URL autolinks) and `marked` (GFM)
 * come in transitively (`@backstage/backend-defaults` → `infinispan` →
 * `jsdoc`). They are `require`d lazily so the tests fall back to their
 * structural checks, and say so, if a dependency update removes them.
 */

/** The token fields the tests read, from markdown-it's `Token`. */
export interface MdToken {
  type: string;
  tag: string;
  markup: string;
  content: string;
  children: MdToken[] | null;
}

export interface MarkdownItLike {
  parse(src: string, env: object): MdToken[];
}

/** The token fields the tests read, from marked's `Token`. */
export interface MarkedToken {
  type: string;
  raw: string;
  text?: string;
  depth?: number;
  tokens?: MarkedToken[];
  items?: MarkedToken[];
}

export interface MarkedLike {
  lexer(src: string, options?: object): MarkedToken[];
}

function tryRequire<T>(name: string, pick: (mod: unknown) => T): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return pick(require(name));
  } catch {
    return undefined;
  }
}

/** markdown-it with raw HTML recognised (so it shows up as html tokens) and linkify on. */
export const markdownIt: MarkdownItLike | undefined = tryRequire('markdown-it', mod => {
  const MarkdownIt = ((mod as { default?: unknown }).default ?? mod) as new (preset: string, options: object) => MarkdownItLike;
  return new MarkdownIt('default', { html: true, linkify: true });
});

export const marked: MarkedLike | undefined = tryRequire('marked', mod => {
  const m = mod as { marked?: MarkedLike; lexer?: MarkedLike['lexer'] };
  return m.marked ?? (m.lexer ? { lexer: m.lexer } : undefined);
});
