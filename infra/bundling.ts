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

/**
 * Packages a bundle replaces with a stub (esbuild's `alias`; the stub's path is resolved from the
 * project root, where the stack's local bundling and the bench run esbuild). `semver`: the X-Ray SDK
 * requires it at load only for its AWS SDK v2 patcher, which nothing here calls
 * (infra/bundle-stubs/semver.ts). It was 28 KB of every bundle, compiled and run (some 40 regular
 * expressions built) at every cold start with the Tracer on: about 3.5 ms of submit-application's
 * (docs/measuring.md, "The cold start"). Local mode and tests do not run bundles: they load the real package.
 */
export const BUNDLE_ALIASES: Record<string, string> = { semver: './infra/bundle-stubs/semver.ts' };

/** The same aliases as esbuild command-line arguments, for NodejsFunction's `esbuildArgs`. */
export const bundleAliasArgs = () => ({
  '--alias': Object.entries(BUNDLE_ALIASES).map(([name, stub]) => `${name}=${stub}`),
});
