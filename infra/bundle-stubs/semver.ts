/**
 * What the bundles hold in place of `semver` (infra/bundling.ts, BUNDLE_ALIASES). Its one importer,
 * the X-Ray SDK, requires it at load for a single call: the version check of its AWS SDK v2 patcher
 * (`captureAWS`, `captureAWSClient`), which nothing here calls: every client is SDK v3, traced by
 * `captureAWSv3Client` (shared/adapters/tracer.ts). Should it ever be reached, it fails loudly.
 */
export function gte(): never {
  throw new Error('semver is not bundled: the X-Ray SDK v2 patcher is not used (infra/bundle-stubs/semver.ts)');
}
