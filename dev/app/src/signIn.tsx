import { ProxiedSignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { chooseDemoUser } from './demoUserChoice';

/** The example backend's providers (examples/app-config.yaml, auth.providers). */
const GUEST_PROVIDER = 'guest';
const DEMO_USER_PROVIDER = 'demoUser';
const DEMO_USER_HEADER = 'x-demo-user';

/**
 * Signs in without a click: the page asks the auth backend for a session as
 * soon as it loads, as the guest user, or as the catalog's User entity named
 * by `?as=<name>` (remembered for the tab), through the demo-user provider.
 * The example backend enables both providers for local use only; the stock
 * sign-in page would wait for a click.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => props => {
          const demoUser = chooseDemoUser(window.location.search, window.sessionStorage);
          return demoUser === undefined ? (
            <ProxiedSignInPage {...props} provider={GUEST_PROVIDER} />
          ) : (
            <ProxiedSignInPage {...props} provider={DEMO_USER_PROVIDER} headers={{ [DEMO_USER_HEADER]: demoUser }} />
          );
        },
      },
    }),
  ],
});
