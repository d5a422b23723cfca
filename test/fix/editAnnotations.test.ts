import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type AnnotationChange, editAnnotations } from '../../src/fix/editAnnotations';
import { parseLocatedEntities } from '../../src/cli/loadEntities';
import { expectGolden } from '../support/golden';

const GOLDEN = path.join(__dirname, 'golden', 'annotations');
const ARN = 'aws.amazon.com/amazon-ecs-service-arn';
const TAGS = 'aws.amazon.com/amazon-ecs-service-tags';
const before = (name: string) => readFileSync(path.join(GOLDEN, name), 'utf8');
const shop = (service: string) => `arn:aws:ecs:eu-west-1:111111111111:service/${service}`;

/** The lines of `after` that differ from `before`, in order; both must have as many lines. */
function changedLines(original: string, edited: string): Array<[string, string]> {
  const a = original.split('\n');
  const b = edited.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]] as [string, string]]));
}

/** Applies the changes, checks them against the golden file, and that a second pass finds the new values and changes nothing. */
function expectEdit(name: string, changes: AnnotationChange[]): string {
  const original = before(`${name}.before.${name === 'entities' ? 'json' : 'yaml'}`);
  const { text, refused } = editAnnotations(original, changes);
  expect(refused).toEqual([]);
  expectGolden(path.join(GOLDEN, `${name}.after.${name === 'entities' ? 'json' : 'yaml'}`), text);
  const again = editAnnotations(text, changes.map(c => ({ ...c, oldValue: c.newValue })));
  expect(again).toEqual({ text, refused: [] });
  return text;
}

describe('editAnnotations', () => {
  it('rewrites plain, double-quoted, flow and folded values in place and keeps comments, spacing and quoting', () => {
    const original = before('commented.before.yaml');
    const text = expectEdit('commented', [
      { document: 0, annotation: ARN, oldValue: shop('shop/checkout'), newValue: shop('shop-v2/checkout') },
      { document: 0, annotation: TAGS, oldValue: 'team=shop , app=cart', newValue: 'Team=shop,app=cart' },
      { document: 1, annotation: ARN, oldValue: shop('legacy'), newValue: shop('shop/legacy') },
      { document: 2, annotation: ARN, oldValue: `${shop('payments')}\n`, newValue: shop('shop/payments') },
    ]);
    expect(changedLines(original, text)).toEqual([
      [
        `         aws.amazon.com/amazon-ecs-service-arn:    ${shop('shop/checkout')}   # plain, with a comment`,
        `         aws.amazon.com/amazon-ecs-service-arn:    ${shop('shop-v2/checkout')}   # plain, with a comment`,
      ],
      ['         aws.amazon.com/amazon-ecs-service-tags: "team=shop , app=cart"', '         aws.amazon.com/amazon-ecs-service-tags: "Team=shop,app=cart"'],
      [`    aws.amazon.com/amazon-ecs-service-arn: '${shop('legacy')}',`, `    aws.amazon.com/amazon-ecs-service-arn: '${shop('shop/legacy')}',`],
      ['    aws.amazon.com/amazon-ecs-service-arn: >   # a folded block', '    aws.amazon.com/amazon-ecs-service-arn: >-   # a folded block'],
      [`      ${shop('payments')}`, `      ${shop('shop/payments')}`],
    ]);
    const entities = parseLocatedEntities(text, 'catalog-info.yaml');
    expect(entities.map(e => e.entity.metadata.annotations?.[ARN])).toEqual([shop('shop-v2/checkout'), shop('shop/legacy'), shop('shop/payments')]);
  });

  it('keeps CRLF line endings, also in a block scalar it rewrites', () => {
    const original = before('crlf.before.yaml');
    const text = expectEdit('crlf', [
      { document: 0, annotation: ARN, oldValue: 'arn:aws:ecs:eu-west-1:222222222222:service/indexer', newValue: 'arn:aws:ecs:eu-west-1:222222222222:service/search/indexer' },
      { document: 0, annotation: 'aws.amazon.com/other', oldValue: 'arn:aws:ecs:eu-west-1:222222222222:service/old\n', newValue: 'arn:aws:ecs:eu-west-1:222222222222:service/search/old' },
    ]);
    expect(text.split('\r\n')).toHaveLength(original.split('\r\n').length);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text).toContain('    aws.amazon.com/amazon-ecs-service-arn: "arn:aws:ecs:eu-west-1:222222222222:service/search/indexer"\r\n');
    expect(text).toContain('    aws.amazon.com/other: |-\r\n      arn:aws:ecs:eu-west-1:222222222222:service/search/old\r\n');
  });

  it('finds entities in lists, in { items } and after empty documents, and quotes a plain value that a flow mapping would cut at a comma', () => {
    const original = before('documents.before.yaml');
    const text = expectEdit('documents', [
      { document: 1, item: 0, annotation: TAGS, oldValue: 'team=shop', newValue: 'Team=shop,app=cart' },
      {
        document: 1,
        item: 1,
        annotation: ARN,
        oldValue: `${shop('shop/cart')} , ${shop('shop/gone')}`,
        newValue: `${shop('shop/cart')} , ${shop('shop-v2/gone')}`,
      },
      { document: 2, item: 0, annotation: ARN, oldValue: shop('queue'), newValue: shop('jobs/queue') },
    ]);
    expect(changedLines(original, text).map(([, after]) => after.trim())).toEqual([
      'metadata: {name: cart, annotations: {aws.amazon.com/amazon-ecs-service-tags: "Team=shop,app=cart", other: x}}',
      `aws.amazon.com/amazon-ecs-service-arn: ${shop('shop/cart')} , ${shop('shop-v2/gone')}`,
      `aws.amazon.com/amazon-ecs-service-arn: ${shop('jobs/queue')}`,
    ]);
    expect(parseLocatedEntities(text, 'catalog-info.yaml').map(e => e.place)).toEqual([
      { document: 1, item: 0 },
      { document: 1, item: 1 },
      { document: 2, item: 0 },
    ]);
  });

  it('edits a JSON file and leaves it JSON', () => {
    const text = expectEdit('entities', [{ document: 0, item: 0, annotation: ARN, oldValue: shop('worker'), newValue: shop('shop/worker') }]);
    expect(JSON.parse(text).items[0].metadata.annotations[ARN]).toBe(shop('shop/worker'));
  });

  it('escapes a value for the style it keeps', () => {
    const yaml = `metadata:\n  annotations:\n    a: 'x'\n    b: "x"\n    c: x\n`;
    const { text } = editAnnotations(yaml, [
      { document: 0, annotation: 'a', oldValue: 'x', newValue: `it's` },
      { document: 0, annotation: 'b', oldValue: 'x', newValue: 'say "hi" \\ now' },
      { document: 0, annotation: 'c', oldValue: 'x', newValue: 'key: value # not a comment' },
    ]);
    expect(text).toBe(`metadata:\n  annotations:\n    a: 'it''s'\n    b: "say \\"hi\\" \\\\ now"\n    c: "key: value # not a comment"\n`);
    expect(parseAllDocuments(text)[0].toJS().metadata.annotations).toEqual({ a: `it's`, b: 'say "hi" \\ now', c: 'key: value # not a comment' });
  });

  it('keeps a byte order mark', () => {
    const { text } = editAnnotations('\uFEFFmetadata:\n  annotations:\n    a: "x" # c\n', [{ document: 0, annotation: 'a', oldValue: 'x', newValue: 'y' }]);
    expect(text).toBe('\uFEFFmetadata:\n  annotations:\n    a: "y" # c\n');
  });

  it('writes a plain value that YAML would read as a number or boolean in quotes', () => {
    const { text } = editAnnotations('metadata:\n  annotations:\n    n: x\n    t: x\n', [
      { document: 0, annotation: 'n', oldValue: 'x', newValue: '123' },
      { document: 0, annotation: 't', oldValue: 'x', newValue: 'true' },
    ]);
    expect(text).toBe('metadata:\n  annotations:\n    n: "123"\n    t: "true"\n');
  });

  it('refuses values it cannot rewrite in place, leaving them as they are', () => {
    const yaml = [
      'kind: Group',
      '---',
      'base: &base',
      '  aws.amazon.com/amazon-ecs-service-arn: arn:aws:ecs:eu-west-1:111111111111:service/merged',
      'value: &v arn:aws:ecs:eu-west-1:111111111111:service/aliased',
      'metadata:',
      '  annotations:',
      '    <<: *base',
      '    aliased: *v',
      '    stale: now-different',
      '',
    ].join('\n');
    const changes: AnnotationChange[] = [
      { document: 1, annotation: ARN, oldValue: shop('merged'), newValue: shop('shop/merged') },
      { document: 1, annotation: 'aliased', oldValue: shop('aliased'), newValue: shop('shop/aliased') },
      { document: 1, annotation: 'stale', oldValue: 'as-read', newValue: 'new' },
      { document: 5, annotation: ARN, oldValue: 'x', newValue: 'y' },
    ];
    const { text, refused } = editAnnotations(yaml, changes);
    expect(text).toBe(yaml);
    expect(refused.map(r => [r.change.annotation, r.reason])).toEqual([
      [ARN, 'the annotation is not written in the file itself (a merge key?)'],
      ['aliased', 'the annotation value is an alias or not a string'],
      ['stale', 'the file no longer holds the value that was read'],
      [ARN, 'the file has no document 6'],
    ]);
  });
});
