/**
 * The package's stable surface: the catalog module, the provider for
 * backends that wire it themselves, the config types, and the permissions
 * other plugins and permission policies use. The drift report plugin is
 * `<this package>/plugin`; names still settling are `<this package>/alpha`.
 */
export { catalogModuleAwsEcsEntityProvider as default } from './provider/module';
export { catalogModuleAwsEcsEntityProvider } from './provider/module';
export { AwsEcsEntityProvider } from './provider/AwsEcsEntityProvider';
export type { AwsEcsEntityProviderDeps } from './provider/AwsEcsEntityProvider';
export type { SyncSummary } from './provider/syncSummary';
export type { EcsProviderConfig } from './config/providerConfig';
export type { OrganizationDiscoveryConfig, ScanScope, ScanTuning } from './scan/scanScope';
export type { RemovalPolicy } from './sync/removalPolicy';
export type { AccessConfig } from './access/accessConfig';
export { createIsEcsServiceOwnerRule, isEcsServiceOwner } from './permissions/isEcsServiceOwner';
export {
  createEcsServiceConditionalDecision,
  ecsServiceConditions,
  ecsOperationApprovePermission,
  ecsOperationPermissions,
  ecsServiceDeployPermission,
  ecsServicePermissions,
  ecsServiceRestartPermission,
  ecsServiceScalePermission,
} from './permissions/ecsServicePermissions';
export type { OperationsConfig, GateConfig } from './config/operationsConfig';
