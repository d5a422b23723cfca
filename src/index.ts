export { catalogModuleAwsEcsEntityProvider as default } from './provider/module';
export { catalogModuleAwsEcsEntityProvider } from './provider/module';
export { AwsEcsEntityProvider } from './provider/AwsEcsEntityProvider';
export type { AwsEcsEntityProviderDeps } from './provider/AwsEcsEntityProvider';
export type { SyncSummary } from './provider/syncSummary';
export { ecsCatalogSyncPlugin } from './plugin/plugin';
export { driftReportRegistryRef, DriftReportRegistry } from './report/driftReportRegistry';
export { buildDriftReport } from './report/driftReport';
export type { DriftReport } from './report/driftReport';
export { reconcile } from './reconcile/reconcile';
export type { Findings } from './reconcile/findings';
export { EcsScanner } from './scan/scanner';
export type { ScannerOptions } from './scan/scanner';
export type { EcsService, EcsServiceStatus, Inventory, ShardError, ShardResult, ShardStatus, DiscoveryResult } from './scan/inventory';
export { readProviderConfig, readProviderConfigs, DEFAULT_SCAN_TUNING } from './config/providerConfig';
export type { EcsProviderConfig, OrganizationDiscoveryConfig, RemovalPolicy, ScanTuning } from './config/providerConfig';
export { createCredentialsManager } from './config/awsConfig';
export { ConfigError } from './config/configError';
export { mapService } from './mapping/mapService';
export type { MappingOptions } from './mapping/mappingOptions';
export * from './mapping/annotations';
export { createIsEcsServiceOwnerRule, isEcsServiceOwner } from './permissions/isEcsServiceOwner';
export { isEcsServiceEntity } from './mapping/ecsServiceEntity';
export {
  ecsServiceRestartPermission,
  ecsServicePermissions,
  ecsServiceConditions,
  createEcsServiceConditionalDecision,
} from './permissions/ecsServicePermissions';
export { buildTeamPolicies, PolicyError } from './access/teamPolicies';
export type { TeamPolicies, TeamPolicyRequest, AccountPolicy } from './access/teamPolicies';
export { checkAccess } from './access/accessDrift';
export type { AccessDrift, AccessDriftInput, PolicySource } from './access/accessDrift';
export { ownedServicesOf } from './access/ownedServices';
export type { OwnedService } from './access/ownedServices';
export { ACCESS_PROFILES, PROFILE_ACTIONS } from './access/profiles';
export type { AccessProfile } from './access/profiles';
export type { PolicyDocument, PolicyStatement } from './access/policyDocument';
