/**
 * How every Lambda handler is bundled: one place, read by the stack (NodejsFunction's `bundling`),
 * by `npm run bench` (sizes and cold starts of exactly these bundles) and by the IAM test (which reads
 * what each bundle calls). Figures behind each choice: `npm run bench`, README "Measuring".
 */

/** The runtime the bundles are built for and tested against. */
export const BUNDLE_TARGET = 'node22';

/**
 * ES module builds first. The AWS SDK and Smithy publish `dist-cjs` (one file per package, which
 * esbuild must keep whole) and `dist-es` (modules it can drop unused parts of): with `module` first,
 * submit-application's bundle went from 992 KB to 759 KB and its cold `require` from 84 to 59 ms.
 */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * Left out of every bundle: the credential providers the SDK's default chain imports only after the
 * environment's credentials failed (SSO, shared ini files, a credential process, web identity token
 * files, container and instance metadata) and the STS/SSO clients they bring (~135 KB). On Lambda the
 * chain never gets past the environment: the runtime always sets AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN for the function's role. Should it ever be reached, the
 * import resolves to the copy in the Lambda runtime's own SDK (/var/runtime/node_modules) rather than
 * failing. Local mode and tests do not run bundles.
 */
export const NEVER_REACHED_ON_LAMBDA = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/** Everything a bundle does not hold: what the runtime or a layer provides. */
export const BUNDLE_EXTERNALS = [...NEVER_REACHED_ON_LAMBDA];
