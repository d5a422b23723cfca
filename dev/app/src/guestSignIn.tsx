import { ProxiedSignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Signs in as the guest user without a click: the page asks the auth
 * backend's guest provider for a session as soon as it loads. The example
 * backend enables that provider for local use only (`auth.providers.guest` in
 * examples/app-config.yaml); the stock sign-in page would wait for a click.
 */
export const guestSignInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => props => <ProxiedSignInPage {...props} provider="guest" />,
      },
    }),
  ],
});
