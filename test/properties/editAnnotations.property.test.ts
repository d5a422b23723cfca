import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { editAnnotations } from '../../src/fix/editAnnotations';
import { hostileString } from './arbitraries';
import { check } from './support';

/** The ways a file may write the value to replace, each with comments and neighbours around it. */
const STYLES: Record<string, (newline: string) => string> = {
  plain: nl => `# head${nl}metadata:${nl}  annotations:${nl}    before: b${nl}    claim: old-value   # note${nl}    after: 'a'${nl}`,
  single: nl => `metadata:${nl}  annotations:${nl}    claim: 'old-value'${nl}    after: a${nl}`,
  double: nl => `metadata:${nl}  annotations:${nl}    claim: "old-value" # note${nl}`,
  literal: nl => `metadata:${nl}  annotations:${nl}    claim: |${nl}      old-value${nl}${nl}    after: a${nl}`,
  folded: nl => `metadata:${nl}  annotations:${nl}    claim: >+ # note${nl}      old-value${nl}    after: a${nl}`,
  flow: nl => `metadata: {annotations: {claim: old-value, after: a}}${nl}`,
  json: nl => `{"metadata": {"annotations": {"claim": "old-value", "after": "a"}}}${nl}`,
};

const oldValueOf = (text: string) => (parseAllDocuments(text) as unknown as Array<{ toJS(): { metadata: { annotations: Record<string, string> } } }>)[0].toJS().metadata.annotations;

describe('editAnnotations, whatever the new value', () => {
  it('writes a value that reads back exactly, and changes nothing else of the file', () =>
    check(
      fc.asyncProperty(fc.constantFrom(...Object.keys(STYLES)), fc.constantFrom('\n', '\r\n'), fc.oneof(hostileString, fc.string()), async (style, newline, value) => {
        const text = STYLES[style](newline);
        const before = oldValueOf(text);
        const { text: edited, refused } = editAnnotations(text, [{ document: 0, annotation: 'claim', oldValue: before.claim, newValue: value }]);
        expect(refused).toEqual([]);
        expect(oldValueOf(edited)).toEqual({ ...before, claim: value });
        // Everything before the value's line and after it stays as it was.
        const firstLine = text.slice(0, text.indexOf('claim'));
        expect(edited.startsWith(firstLine)).toBe(true);
        const tail = text.slice(text.indexOf('after'));
        if (text.includes('after') && style !== 'flow' && style !== 'json') expect(edited.endsWith(tail)).toBe(true);
      }),
    ));
});
