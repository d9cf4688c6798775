/**
 * The web app's security headers, defined once: CloudFront's response headers policy sends them on
 * AWS (infra/web-app.ts) and the local gateway sends the same on every page of the app, so the
 * browser tests run under the policy the societies will get.
 */
export interface WebAppOrigins {
  /** where the API answers (empty when it shares the app's origin, as locally) */
  api: string[];
  /** the sign-in service the app exchanges its code with (Cognito's managed login and its token endpoint) */
  signIn: string[];
  /** where report files are uploaded to (the presigned S3 PUT's origin) */
  uploads: string[];
}

/** Strict: the app's own scripts and styles only, no inline script, never framed. */
export function webContentSecurityPolicy(origins: WebAppOrigins): string {
  const connect = ["'self'", ...origins.api, ...origins.signIn, ...origins.uploads].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    `form-action 'self' ${origins.signIn.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** HSTS: two years, subdomains included (a CloudFront domain or the association's own). */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600;
export const HSTS_INCLUDE_SUBDOMAINS = true;
/** Never framed (with CSP's frame-ancestors 'none' for browsers that read only one of the two). */
export const FRAME_OPTION = 'DENY';
/** The app's own origin sees where a request came from; the API and S3 do not. */
export const REFERRER_POLICY = 'same-origin';

/**
 * The headers as a server sends them (the local gateway). CloudFront's response headers policy
 * (infra/web-app.ts) is built from the same constants and `webContentSecurityPolicy`, and
 * test/infra/web-app.test.ts proves the two send the same headers for the same origins.
 */
export function webSecurityHeaders(origins: WebAppOrigins): Record<string, string> {
  return {
    'content-security-policy': webContentSecurityPolicy(origins),
    'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}${HSTS_INCLUDE_SUBDOMAINS ? '; includeSubDomains' : ''}`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': FRAME_OPTION,
    'referrer-policy': REFERRER_POLICY,
  };
}
