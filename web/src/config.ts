/**
 * How this copy of the app signs people in and where the API is: `config.json` beside the app,
 * written by the stack on AWS (Cognito's managed login) and by `npm start` locally (the local
 * sign-in page). Nothing else in the app knows which it is.
 */
export type AppConfig =
  | { signIn: 'local'; apiBase: string }
  | {
      signIn: 'cognito';
      apiBase: string;
      /** the user pool's issuer, https://cognito-idp.<region>.amazonaws.com/<poolId> */
      authority: string;
      clientId: string;
      /** the managed login's domain, for signing out (Cognito has no end_session_endpoint) */
      loginDomain: string;
    };

let loaded: Promise<AppConfig> | undefined;

export function appConfig(): Promise<AppConfig> {
  loaded ??= fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' }).then(async (response) => {
    if (!response.ok) throw new Error(`config.json: ${response.status}`);
    return (await response.json()) as AppConfig;
  });
  return loaded;
}

/** The app's own address of a page (the base is /app/). */
export const appPath = (path: string) => `${import.meta.env.BASE_URL}${path.replace(/^\//, '')}`;
