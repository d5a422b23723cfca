import { createBackendModule } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  type AuthResolverContext,
} from '@backstage/plugin-auth-node';
import type { Request } from 'express';
import { DEMO_USER_HEADER, DEMO_USER_PROVIDER_ID } from './demoUserRequest';

/** What a User entity's `metadata.name` may look like; anything else is refused before the catalog is asked. */
const ENTITY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

interface DemoUserContext {
  enabled: boolean;
}

interface DemoUserResult {
  userName: string;
}

/**
 * Signs anyone in as the User entity the `x-demo-user` header names: no
 * password, no identity provider. It exists so that a test or a person can act
 * as two owners of one service from one machine. It is off unless
 * `auth.providers.demoUser.dangerouslyAllowOutsideDevelopment` is true (like the
 * guest provider) and answers only requests from the loopback interface, so
 * a backend that listens on another address does not hand identities to the network.
 */
export const demoUserAuthenticator = createProxyAuthenticator<DemoUserContext, DemoUserResult, undefined>({
  initialize({ config }) {
    return { enabled: process.env.NODE_ENV === 'development' || config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true };
  },
  async authenticate({ req }, { enabled }) {
    if (!enabled) {
      throw new NotAllowedError(
        `The ${DEMO_USER_PROVIDER_ID} provider is for local demos only; set auth.providers.${DEMO_USER_PROVIDER_ID}.dangerouslyAllowOutsideDevelopment: true to use it`,
      );
    }
    if (!isLoopback(req)) throw new NotAllowedError(`The ${DEMO_USER_PROVIDER_ID} provider answers requests from this machine only`);
    const userName = req.get(DEMO_USER_HEADER)?.trim() ?? '';
    // The name is echoed in errors only once it is known to be a plain entity name.
    if (!ENTITY_NAME.test(userName)) throw new AuthenticationError(`The ${DEMO_USER_HEADER} header must name a User entity`);
    return { result: { userName } };
  },
  async defaultProfileTransform({ userName }, context) {
    const { entity } = await findUser(userName, context);
    const profile = (entity.spec?.profile ?? {}) as { displayName?: unknown; email?: unknown; picture?: unknown };
    return {
      profile: {
        displayName: typeof profile.displayName === 'string' ? profile.displayName : userName,
        ...(typeof profile.email === 'string' ? { email: profile.email } : {}),
        ...(typeof profile.picture === 'string' ? { picture: profile.picture } : {}),
      },
    };
  },
});

function isLoopback(req: Request): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

function userRef(userName: string): string {
  return stringifyEntityRef({ kind: 'user', namespace: 'default', name: userName });
}

/** Only users of the catalog may sign in: an unknown name is an authentication failure, not a missing page. */
async function findUser(userName: string, context: AuthResolverContext) {
  try {
    return await context.findCatalogUser({ entityRef: userRef(userName) });
  } catch (error) {
    if ((error as Error).name === NotFoundError.name) throw new AuthenticationError(`No User entity named ${userName} in the catalog`);
    throw error;
  }
}

/**
 * The auth backend module of the demo-user provider. Sign-in goes through
 * `signInWithCatalogUser`, so the token's ownership entity refs hold the user's
 * groups, as with a real identity provider.
 */
export const demoUserAuthProviderModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-user-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: DEMO_USER_PROVIDER_ID,
          factory: createProxyAuthProviderFactory<DemoUserResult>({
            authenticator: demoUserAuthenticator,
            async signInResolver({ result }, context) {
              await findUser(result.userName, context);
              return context.signInWithCatalogUser({ entityRef: userRef(result.userName) });
            },
          }),
        });
      },
    });
  },
});

export default demoUserAuthProviderModule;
