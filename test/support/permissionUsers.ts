import { type BackstagePrincipalTypes, coreServices, createServiceFactory, type HttpAuthService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Request } from 'express';

/** Who belongs to which team, as a sign-in resolver would put it in the token. */
export function userInfoFrom(ownership: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: { principal: unknown }) {
        const userEntityRef = (credentials.principal as { userEntityRef: string }).userEntityRef;
        return { userEntityRef, ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef] };
      },
    }),
  });
}

/**
 * The mock HTTP auth turns an on-behalf-of token back into a plain user,
 * while the real one keeps the calling plugin as the actor; the permission
 * backend tells the two apart, so the actor is put back here.
 */
export const httpAuthKeepingActor = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }): HttpAuthService => {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId(), defaultCredentials: mockCredentials.none() });
    const prefix = 'mock-service-token:';
    return {
      async credentials(req: Request, options?: { allow?: Array<keyof BackstagePrincipalTypes>; allowLimitedAccess?: boolean }) {
        const credentials = await inner.credentials(req, options);
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token?.startsWith(prefix)) return credentials;
        const { sub, obo } = JSON.parse(token.slice(prefix.length)) as { sub?: string; obo?: string };
        return obo ? mockCredentials.user(obo, { actor: { subject: sub ?? 'plugin:unknown' } }) : credentials;
      },
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    } as HttpAuthService;
  },
});
