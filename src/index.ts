export { EcsScanner } from './scan/scanner';
export type { ScannerOptions } from './scan/scanner';
export type { EcsService, EcsServiceStatus, Inventory, ShardError, ShardResult, ShardStatus, DiscoveryResult } from './scan/inventory';
export { readProviderConfig, readProviderConfigs, DEFAULT_SCAN_TUNING } from './config/providerConfig';
export type { EcsProviderConfig, OrganizationDiscoveryConfig, ScanTuning } from './config/providerConfig';
export { createCredentialsManager } from './config/awsConfig';
export { ConfigError } from './config/configError';
