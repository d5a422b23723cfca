/** Local development tooling: the loopback AWS emulator, its fleet model and generator. */
export * from './emulator';
export * from './fleet';
export { generateFleet, REGION_POOL, DEFAULT_PRINCIPAL, type GenerateFleetOptions } from './generate';
export { runEmulatorCli, EMULATOR_USAGE, type EmulatorCliOptions } from './main';
