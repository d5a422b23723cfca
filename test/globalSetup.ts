import { buildPackage } from './support/builtCli';

/**
 * Several test files run the built `ecs-catalog-sync` command as a user would.
 * Building once here, before any worker starts, keeps parallel workers from
 * compiling into dist/ at the same time.
 */
export default function globalSetup(): void {
  buildPackage();
}
