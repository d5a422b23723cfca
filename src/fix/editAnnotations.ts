import { isMap, isScalar, isSeq, parse, parseAllDocuments, type Document, type Pair, type Scalar } from 'yaml';

/** Where an entity sits in its file: the YAML document, and the item when the document is a list (or `{ items: [...] }`). */
export interface EntityPlace {
  /** Counted from 0 over every document of the file, empty ones included. */
  document: number;
  /** Counted from 0, when the document holds a list of entities. */
  item?: number;
}

/** One annotation value to rewrite in one file. */
export interface AnnotationChange extends EntityPlace {
  annotation: string;
  /** The value as the file holds it now; the change is refused when the file says otherwise. */
  oldValue: string;
  newValue: string;
}

/** A change that could not be made in place, and why; the file is left as it was for it. */
export interface RefusedChange {
  change: AnnotationChange;
  reason: string;
}

export interface EditResult {
  text: string;
  refused: RefusedChange[];
}

/**
 * Rewrites annotation values in the text of a YAML (or JSON) entities file
 * and nothing else: each value's own source range is replaced, in the style
 * it was written in (plain, single- or double-quoted, block), so comments,
 * key order, indentation, other quoting and line endings (CRLF included)
 * stay byte for byte. Parsing and re-serialising the document would lose
 * all of that. A value reached through an alias or a merge key, or one the
 * file no longer holds, is refused rather than guessed at; the result is
 * parsed again and must read exactly as intended.
 */
export function editAnnotations(text: string, changes: readonly AnnotationChange[]): EditResult {
  const docs = parseAllDocuments(text);
  const documents = Array.isArray(docs) ? docs : [];
  const refused: RefusedChange[] = [];
  const splices: Array<{ start: number; end: number; source: string; change: AnnotationChange }> = [];
  const taken = new Set<number>();

  for (const change of changes) {
    const located = findValue(documents, change);
    if (typeof located === 'string') {
      refused.push({ change, reason: located });
      continue;
    }
    const { scalar: found, inFlow } = located;
    if (found.value !== change.oldValue) {
      refused.push({ change, reason: 'the file no longer holds the value that was read' });
      continue;
    }
    const [start, end] = found.range!;
    // Distinct scalars never overlap, so one start is one value.
    if (taken.has(start)) {
      refused.push({ change, reason: 'another change rewrites the same value' });
      continue;
    }
    taken.add(start);
    splices.push({ start, end, source: renderScalar(text.slice(start, end), found.type, inFlow, change.newValue), change });
  }

  splices.sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = 0;
  for (const s of splices) {
    pieces.push(text.slice(at, s.start), s.source);
    at = s.end;
  }
  pieces.push(text.slice(at));
  const edited = pieces.join('');

  const mismatch = verify(edited, documents, splices.map(s => s.change));
  if (mismatch) throw new Error(`rewriting the annotations would change the file's meaning (${mismatch}); nothing was changed`);
  return { text: edited, refused };
}

/**
 * The scalar holding the annotation and whether it sits in a flow mapping
 * (`{ ... }`, where a plain comma ends the value), or why there is none to
 * edit in place.
 */
function findValue(documents: readonly Document[], place: AnnotationChange): { scalar: Scalar; inFlow: boolean } | string {
  const doc = documents[place.document];
  if (!doc) return `the file has no document ${place.document + 1}`;
  let entity: unknown = doc.contents;
  if (place.item !== undefined) {
    const list = isSeq(entity) ? entity : isMap(entity) ? entity.get('items', true) : undefined;
    if (!isSeq(list)) return 'the document holds no list of entities';
    entity = list.items[place.item];
  }
  const metadata = isMap(entity) ? entity.get('metadata', true) : undefined;
  const annotations = isMap(metadata) ? metadata.get('annotations', true) : undefined;
  if (!isMap(annotations)) return 'metadata.annotations is not written as a map in the file (an alias or a merge key?)';
  const pair = (annotations.items as Pair[]).find(p => isScalar(p.key) && p.key.value === place.annotation);
  if (!pair) return 'the annotation is not written in the file itself (a merge key?)';
  if (!isScalar(pair.value) || !pair.value.range) return 'the annotation value is an alias or not a string';
  // Block collections cannot nest in flow ones, so the annotations map's own style decides.
  return { scalar: pair.value, inFlow: annotations.flow === true };
}

/** Starts with a letter or digit, ends with no space, holds no control character: a candidate for a plain scalar. */
const PLAIN_CANDIDATE = /^[A-Za-z0-9](?:[^\u0000-\u001f\u007f]*[^\s])?$/;

/**
 * The new value's source in the style of the old one. Plain stays plain
 * when the value needs no quotes there (commas only outside flow
 * collections); otherwise, and for any value a style cannot hold, it is
 * double-quoted with JSON's escapes, which YAML reads the same way.
 */
function renderScalar(oldSource: string, type: Scalar['type'], inFlow: boolean, value: string): string {
  const doubleQuoted = JSON.stringify(value);
  switch (type) {
    case 'PLAIN': {
      // Read back alone, the value must be the same string: `123`, `true`,
      // `a: b` or `a #b` would read as something else.
      const safe = PLAIN_CANDIDATE.test(value) && !(inFlow && /[,[\]{}]/.test(value)) && readsAlone(value) === value;
      return safe ? value : doubleQuoted;
    }
    case 'QUOTE_SINGLE':
      return /[\u0000-\u001f\u007f]/.test(value) ? doubleQuoted : `'${value.replace(/'/g, "''")}'`;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return renderBlock(oldSource, value) ?? `${doubleQuoted}${lineEnd(oldSource)}`;
    default:
      return doubleQuoted;
  }
}

function readsAlone(value: string): unknown {
  try {
    return parse(value, { logLevel: 'silent' });
  } catch {
    return undefined;
  }
}

/**
 * A block scalar keeps its indicator (`|` or `>`), header comment and
 * indentation; its chomping becomes strip (`-`) so the value gains no line
 * break, and an indentation indicator goes, since the value starts with no
 * space. Undefined when the value does not fit on one plain line.
 */
function renderBlock(oldSource: string, value: string): string | undefined {
  if (value === '' || /[\u0000-\u001f\u007f]/.test(value) || value !== value.trim()) return undefined;
  const header = /^([|>])([1-9]?)[+-]?([1-9]?)([^\r\n]*)(\r?\n)/.exec(oldSource);
  if (!header) return undefined;
  const [whole, indicator, , , rest, newline] = header;
  const body = oldSource.slice(whole.length);
  const indent = /^([ ]*)\S/m.exec(body)?.[1] ?? '  ';
  // Blank lines after the content belong to the block's source; they stay.
  const lines = body.split(/(?<=\n)/);
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  const trailing = lines.slice(last + 1).join('');
  return `${indicator}-${rest}${newline}${indent}${value}${newline}${trailing}`;
}

function lineEnd(source: string): string {
  return /\r\n$/.test(source) ? '\r\n' : /\n$/.test(source) ? '\n' : '';
}

/**
 * The edited text must parse, document for document, to what the original
 * said with only the changed annotations different. Returns what differs.
 */
function verify(edited: string, before: readonly Document[], changes: readonly AnnotationChange[]): string | undefined {
  const after = parseAllDocuments(edited);
  const docs = Array.isArray(after) ? after : [];
  if (docs.length !== before.length) return 'the number of documents changed';
  const byDocument = new Map<number, AnnotationChange[]>();
  for (const change of changes) byDocument.set(change.document, [...(byDocument.get(change.document) ?? []), change]);
  for (const [d, doc] of docs.entries()) {
    if (doc.errors.length > 0) return `document ${d + 1} is no longer valid YAML`;
    const expected = before[d].toJS({ maxAliasCount: 100 }) as unknown;
    for (const change of byDocument.get(d) ?? []) {
      const annotations = annotationsOf(expected, change);
      if (annotations) annotations[change.annotation] = change.newValue;
    }
    if (JSON.stringify(doc.toJS({ maxAliasCount: 100 })) !== JSON.stringify(expected)) return `document ${d + 1} would read differently`;
  }
  return undefined;
}

function annotationsOf(document: unknown, place: EntityPlace): Record<string, unknown> | undefined {
  let entity = document as Record<string, unknown> | undefined;
  if (place.item !== undefined) {
    const list = Array.isArray(entity) ? entity : (entity?.items as unknown[] | undefined);
    entity = list?.[place.item] as Record<string, unknown> | undefined;
  }
  const metadata = entity?.metadata as Record<string, unknown> | undefined;
  return metadata?.annotations as Record<string, unknown> | undefined;
}
