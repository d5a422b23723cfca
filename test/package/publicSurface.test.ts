import * as alpha from '../../src/alpha';
import * as root from '../../src/index';
import * as plugin from '../../src/plugin/index';

/**
 * Every name exported at run time is part of the package's contract: a new
 * export must be added here on purpose (and to docs/architecture.md), never by accident.
 */
describe('the public surface', () => {
  it('exports the module, the provider and the permissions at the root', () => {
    expect(Object.keys(root).sort()).toEqual([
      'AwsEcsEntityProvider',
      'catalogModuleAwsEcsEntityProvider',
      'createEcsServiceConditionalDecision',
      'createIsEcsServiceOwnerRule',
      'default',
      'ecsOperationApprovePermission',
      'ecsOperationPermissions',
      'ecsServiceConditions',
      'ecsServiceDeployPermission',
      'ecsServicePermissions',
      'ecsServiceRestartPermission',
      'ecsServiceScalePermission',
      'isEcsServiceOwner',
    ]);
    expect(root.default).toBe(root.catalogModuleAwsEcsEntityProvider);
  });

  it('exports the drift report plugin at ./plugin', () => {
    expect(Object.keys(plugin).sort()).toEqual(['createDriftRouter', 'default', 'ecsCatalogSyncPlugin']);
    expect(plugin.default).toBe(plugin.ecsCatalogSyncPlugin);
  });

  it('exports only the entity vocabulary at ./alpha', () => {
    expect(Object.keys(alpha).sort()).toEqual([
      'ANNOTATION_ACCOUNT_ID',
      'ANNOTATION_CLUSTER_ARN',
      'ANNOTATION_OWNER_SOURCE',
      'ANNOTATION_REGION',
      'ANNOTATION_REPORTED_SERVICE_ARN',
      'ANNOTATION_SERVICE_ARN',
      'ANNOTATION_SERVICE_TAGS',
      'ANNOTATION_TASK_DEFINITION_FAMILY',
      'ENTITY_TYPE',
      'LABEL_ACCOUNT',
      'LABEL_CLAIM',
      'LABEL_CLUSTER',
      'LABEL_LAUNCH_TYPE',
      'LABEL_OWNER_DRIFT',
      'LABEL_REGION',
      'LABEL_UNCLAIMED',
    ]);
  });
});
