import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { createServer } from 'node:net';
import path from 'node:path';
import { readConfigFileAlone } from './configFile';
import { withExampleApp } from './exampleAppConfig';
import { fixedRootConfigServiceFactory, rootLoggerServiceFactory } from './services';

export interface ExampleBackendOptions {
  /** The app-config file; the backend reads this file and nothing else (see `readConfigFileAlone`). */
  configFile: string;
  /** Applied on top of the file, e.g. the demo's port. */
  configOverrides?: JsonObject;
}

export interface ExampleBackend {
  /** Where the HTTP server listens, from `backend.listen`, e.g. `http://127.0.0.1:7007`. */
  readonly listenUrl: string;
  /** `backend.baseUrl`. */
  readonly baseUrl: string;
  /** The absolute path of the config file. */
  readonly configFile: string;
  readonly config: Config;
  /** Stops every plugin, the scheduler, the database and the HTTP server. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A real Backstage backend (`createBackend()` from `@backstage/backend-defaults`)
 * with the catalog and this package's module, configured by one app-config
 * file alone. `backend.listen` and `backend.baseUrl` come from that file. It
 * also serves the example web app (`dev/app`, see `withExampleApp`) when its
 * bundle has been built, with the auth backend for the app's sign-in.
 *
 * The returned handle owns the shutdown: Backstage's own process-wide
 * SIGINT/SIGTERM/beforeExit handlers (which call `process.exit`) are detached,
 * so the caller decides what to stop and when, and must call `stop()`.
 */
export async function startExampleBackend(options: ExampleBackendOptions): Promise<ExampleBackend> {
  const configFile = path.resolve(options.configFile);
  const config = withExampleApp(await readConfigFileAlone(configFile, options.configOverrides), configFile);
  const backstage = await importBackstage();

  const backend = backstage.createBackend();
  // Replaces the default root config service, which would read ./app-config*.yaml,
  // --config arguments and APP_CONFIG_* variables.
  backend.add(fixedRootConfigServiceFactory(config));
  // Backstage's root logger, able to start outside an npm package (see services.ts).
  backend.add(rootLoggerServiceFactory(backstage));
  backend.add(backstage.catalogPlugin);
  // The events backend and the stock SQS consumer: a config with
  // events.modules.awsSqs.* and catalog.providers.awsEcs.<id>.events.topic
  // refreshes services from ECS events; without those keys they do nothing.
  backend.add(import('@backstage/plugin-events-backend'));
  backend.add(import('@backstage/plugin-events-backend-module-aws-sqs'));
  backend.add(import('../../src/provider/module'));
  backend.add(import('../../src/plugin'));
  // The example web app, from this backend's origin, and the auth backend its sign-in asks:
  // the guest, or a demo user of the catalog chosen with ?as=<name> (both local only).
  backend.add(backstage.appPlugin);
  backend.add(backstage.authPlugin);
  backend.add(backstage.guestProviderModule);
  backend.add(import('./demoUserAuthProvider'));
  // Permissions on (permission.enabled), with a policy that keeps ECS operations to the service's owners.
  backend.add(backstage.permissionPlugin);
  backend.add(import('./demoPermissionPolicy'));
  // Where the module's claim notifications go; without it every scan logs that it could not send them.
  backend.add(backstage.notificationsPlugin);

  const listen = backstage.readHttpServerOptions(config.getOptionalConfig('backend')).listen;
  const host = listen.host === '' || listen.host === '0.0.0.0' || listen.host === '::' ? 'localhost' : listen.host;
  const listenUrl = `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}`;

  // Backstage binds the port in the middle of its start-up and logs a confusing
  // shutdown error when that fails; a taken port is worth a plain message first.
  await assertPortFree(listen.host, listen.port, configFile);

  const detach = detachNewSignalListeners();
  const started = backend.start();
  detach();
  try {
    await started;
  } catch (error) {
    await backend.stop().catch(() => undefined);
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new PortInUseError(listen.host, listen.port, configFile);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    listenUrl,
    baseUrl: config.getOptionalString('backend.baseUrl') ?? listenUrl,
    configFile,
    config,
    stop: () => (stopping ??= backend.stop()),
  };
}

/** `backend.listen` names a port something else already listens on. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    configFile: string,
  ) {
    super(`${host || '*'}:${port} is already in use (backend.listen in ${configFile}): stop what listens there, or choose another port`);
    this.name = 'PortInUseError';
  }
}

function assertPortFree(host: string, port: number, configFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      // Anything but a taken port (no such address, no permission) is Backstage's to report.
      error.code === 'EADDRINUSE' ? reject(new PortInUseError(host, port, configFile)) : resolve(),
    );
    probe.listen({ host: host || undefined, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

const HANDLED_EVENTS = ['SIGINT', 'SIGTERM', 'beforeExit'] as const;

/**
 * Backstage registers process-wide handlers the first time a backend starts
 * (synchronously, inside `start()`) that stop it and call `process.exit`.
 * Snapshot the listeners before, remove the ones added in between.
 */
function detachNewSignalListeners(): () => void {
  type Listener = (...args: unknown[]) => void;
  // `process.listeners` is typed per event; these three share one untyped view.
  const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals) as Listener[];
  const before = new Map(HANDLED_EVENTS.map(event => [event, new Set(listenersOf(event))]));
  return () => {
    for (const event of HANDLED_EVENTS) {
      const known = before.get(event)!;
      for (const listener of listenersOf(event)) {
        if (!known.has(listener)) process.removeListener(event, listener);
      }
    }
  };
}

async function importBackstage() {
  // Loaded on first use, so the emulator and the bench start without Backstage's backend.
  const [defaults, rootHttpRouter, rootLogger, rootConfig, catalog, app, auth, guest, permission, notifications] = await Promise.all([
    import('@backstage/backend-defaults'),
    import('@backstage/backend-defaults/rootHttpRouter'),
    import('@backstage/backend-defaults/rootLogger'),
    import('@backstage/backend-defaults/rootConfig'),
    import('@backstage/plugin-catalog-backend'),
    import('@backstage/plugin-app-backend'),
    import('@backstage/plugin-auth-backend'),
    import('@backstage/plugin-auth-backend-module-guest-provider'),
    import('@backstage/plugin-permission-backend'),
    import('@backstage/plugin-notifications-backend'),
  ]);
  return {
    createBackend: defaults.createBackend,
    readHttpServerOptions: rootHttpRouter.readHttpServerOptions,
    WinstonLogger: rootLogger.WinstonLogger,
    createConfigSecretEnumerator: rootConfig.createConfigSecretEnumerator,
    catalogPlugin: catalog.default,
    appPlugin: app.default,
    authPlugin: auth.default,
    guestProviderModule: guest.default,
    permissionPlugin: permission.default,
    notificationsPlugin: notifications.default,
  };
}
