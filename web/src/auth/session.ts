import { appConfig, appPath, type AppConfig } from '../config';
import { personFromToken, type Person } from './claims';

/**
 * The one sign-in every page uses. Locally the token comes from the local sign-in page; on AWS from
 * Cognito's managed login (authorization code with PKCE, through oidc-client-ts, loaded only then).
 * Either way it is an ID token kept for this browser tab only (sessionStorage), sent as a bearer.
 */
const TOKEN_KEY = 'gdast.idToken';
const RETURN_KEY = 'gdast.returnTo';

export function currentPerson(): Person | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const person = token ? personFromToken(token) : undefined;
  if (person && person.expiresAt * 1000 > Date.now()) return person;
  if (token) sessionStorage.removeItem(TOKEN_KEY);
  return undefined;
}

export function rememberToken(token: string): Person | undefined {
  const person = personFromToken(token);
  if (person) sessionStorage.setItem(TOKEN_KEY, token);
  return person;
}

async function oidc(config: Extract<AppConfig, { signIn: 'cognito' }>) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${location.origin}${appPath('callback')}`,
    post_logout_redirect_uri: `${location.origin}${appPath('')}`,
    response_type: 'code',
    scope: 'openid email profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

/** Sends the person to sign in, coming back to `returnTo` afterwards. */
export async function startSignIn(returnTo: string): Promise<void> {
  sessionStorage.setItem(RETURN_KEY, returnTo);
  const config = await appConfig();
  if (config.signIn === 'local') {
    location.assign(appPath('sign-in'));
    return;
  }
  await (await oidc(config)).signinRedirect();
}

/** The managed login's redirect back: exchanges the code for the tokens. */
export async function completeSignIn(): Promise<string> {
  const config = await appConfig();
  if (config.signIn === 'cognito') {
    const user = await (await oidc(config)).signinRedirectCallback();
    if (user.id_token) rememberToken(user.id_token);
  }
  return takeReturnPath();
}

export function takeReturnPath(): string {
  const path = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return path && path.startsWith(appPath('')) ? path : appPath('');
}

export async function signOut(): Promise<void> {
  sessionStorage.removeItem(TOKEN_KEY);
  const config = await appConfig();
  if (config.signIn === 'local') {
    location.assign(appPath('sign-in'));
    return;
  }
  const manager = await oidc(config);
  await manager.removeUser();
  // Cognito's managed login ends its own session at /logout (it has no end_session_endpoint).
  const logout = new URL('/logout', config.loginDomain);
  logout.searchParams.set('client_id', config.clientId);
  logout.searchParams.set('logout_uri', `${location.origin}${appPath('')}`);
  location.assign(logout.toString());
}
