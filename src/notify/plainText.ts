const MAX_TITLE = 255;
const MAX_DESCRIPTION = 2000;

/**
 * Text from annotations and tags made safe for whatever shows a
 * notification: the web UI, but also e-mail and chat processors that may
 * read it as HTML, Markdown or Slack markup. Control characters and
 * bidirectional overrides become spaces, and the characters those formats build tags, entities and links
 * from (`<`, `>`, `&`, `[`, `]`) are replaced by look-alikes, so the words
 * stay readable and nothing renders as markup.
 */
export function plainText(text: string, max: number): string {
  const cleaned = text
    // Line breaks and bidirectional overrides could make a value read as something else.
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .trim();
  return cleaned.length <= max ? cleaned : `${cleaned.slice(0, max - 1)}…`;
}

/** A title fits the notifications table's column. */
export const plainTitle = (text: string) => plainText(text, MAX_TITLE);
export const plainDescription = (text: string) => plainText(text, MAX_DESCRIPTION);
