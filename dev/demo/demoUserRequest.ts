/**
 * How a request names the demo user to sign in as: the header, sent to the
 * demo-user provider's routes. Apart from the provider module so that tests and
 * tooling need not load the auth backend's libraries.
 */

/** `auth.providers.<id>`, and the path of its routes: `/api/auth/demoUser/refresh`. */
export const DEMO_USER_PROVIDER_ID = 'demoUser';
/** The request header that names the User entity to sign in as. */
export const DEMO_USER_HEADER = 'x-demo-user';
