import type { CatalogEntity } from '../../dev/demo/catalogApi';
import { renderCatalogSummary } from '../../dev/demo/summary';

function service(name: string, account: string, region: string, owner: string): CatalogEntity {
  return {
    kind: 'Resource',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-origin-location': 'aws-ecs:demo',
        'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:${region}:${account}:service/c/${name}`,
        'aws.amazon.com/account-id': account,
        'aws.amazon.com/region': region,
      },
    },
    spec: { type: 'ecs-service', owner },
  };
}

function handWritten(kind: string, name: string, annotations: Record<string, string> = {}): CatalogEntity {
  return {
    kind,
    metadata: { name, annotations: { 'backstage.io/managed-by-origin-location': 'file:/repo/examples/catalog-info.yaml', ...annotations } },
  };
}

describe('renderCatalogSummary', () => {
  const entities: CatalogEntity[] = [
    service('a', '012345678901', 'eu-west-1', 'group:default/team-payments'),
    service('b', '012345678901', 'eu-west-1', 'group:default/unknown'),
    service('c', '222222222222', 'ap-southeast-2', 'group:default/team-search'),
    handWritten('Group', 'team-payments'),
    handWritten('Component', 'checkout', { 'aws.amazon.com/amazon-ecs-service-arn': 'arn:aws:ecs:eu-west-1:012345678901:service/c/a' }),
    handWritten('Component', 'gateway', { 'aws.amazon.com/amazon-ecs-service-tags': 'component=gateway' }),
    {
      kind: 'Location',
      metadata: { name: 'generated-1', annotations: { 'backstage.io/managed-by-origin-location': 'file:/repo/examples/catalog-info.yaml' } },
    },
  ];

  it('counts services per account and region and per owner, and the hand-written entities per file', () => {
    const text = renderCatalogSummary(entities, {
      fileLocations: [{ path: '/repo/examples/catalog-info.yaml', entities: [] }],
      notLoaded: [],
    });
    expect(text).toContain('ECS service entities in the catalog: 3 ');
    expect(text).toMatch(/^ {2}012345678901 +eu-west-1 +2$/m);
    expect(text).toMatch(/^ {2}222222222222 +ap-southeast-2 +1$/m);
    expect(text).toMatch(/^ {2}group:default\/unknown +1 +fallback owner/m);
    expect(text).toContain('1 of 3 services have the fallback owner group:default/unknown');
    // The generated Location entity is not hand-written.
    expect(text).toContain('Hand-written entities from /repo/examples/catalog-info.yaml: 3 of 0 in the file');
    expect(text).toMatch(/^ {2}Component +2 +checkout, gateway$/m);
    expect(text).toContain('1 claim ECS services by aws.amazon.com/amazon-ecs-service-arn, 1 by aws.amazon.com/amazon-ecs-service-tags');
    expect(text).toContain('Catalog processing errors: none');
  });

  it('shows entities the catalog rejected, with the innermost cause, and recorded processing errors', () => {
    const withError: CatalogEntity = {
      ...handWritten('Component', 'flaky'),
      status: { items: [{ type: 'backstage.io/catalog-processing', level: 'error', message: 'InputError: bad relation\nstack' }] },
    };
    const text = renderCatalogSummary([...entities, withError], {
      notLoaded: [
        {
          file: '/repo/examples/catalog-info.yaml',
          ref: 'component:default/broken',
          reasons: ['Processor BuiltinKindsEntityProcessor threw an error while validating the entity component:default/broken; caused by TypeError: /spec must have required property \'owner\''],
        },
      ],
    });
    expect(text).toContain("NOT LOADED component:default/broken: TypeError: /spec must have required property 'owner'");
    expect(text).toContain('Catalog processing errors: 1\n  component:default/flaky: InputError: bad relation');
  });

  it('keeps terminal control characters out', () => {
    const text = renderCatalogSummary([service('x', '012345678901', 'eu-west-1', 'group:default/evil\u001b[2J')]);
    expect(text).not.toContain('\u001b');
  });
});
