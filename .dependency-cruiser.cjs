/**
 * The direction of imports, checked in `npm test` (npm run lint:imports). shared/ is in three layers:
 *   shared/domain     the rules of the call: pure (no AWS SDK, no logger, no I/O)
 *   shared/adapters   the only code that talks to AWS (DynamoDB, Step Functions, SES); may use the domain
 *   shared/use-cases  requests and workflow steps, composed of the domain and the adapters
 * and around it: functions/ (thin handlers) use shared/; workflows/ is CDK only; infra/ uses anything;
 * web/ (the browser app) uses the pure domain only: the rules it shows are the API's own.
 */
const AWS_SDK = '^node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain knows nothing of AWS, logging, use cases or adapters.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { path: ['^shared/(adapters|use-cases)/', AWS_SDK, '^(functions|infra|workflows|test)/'] },
    },
    {
      name: 'adapters-do-not-use-use-cases',
      comment: 'Adapters are called by use cases, never the other way round.',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: ['^shared/use-cases/', '^(functions|infra|workflows|test)/'] },
    },
    {
      name: 'aws-sdk-only-in-adapters',
      comment: 'Only shared/adapters imports an AWS client; use cases and handlers go through it.',
      severity: 'error',
      from: { path: '^(shared/(domain|use-cases)|functions)/' },
      to: { path: '^node_modules/(@aws-sdk|@smithy)/' },
    },
    {
      name: 'shared-does-not-import-outer-folders',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|workflows|test)/' },
    },
    {
      name: 'handlers-use-shared-only',
      comment: 'A handler parses, calls shared/, and maps errors; it knows nothing of the stack.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(infra|workflows|test)/' },
    },
    {
      name: 'workflows-are-cdk-only',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(shared|functions|infra|test)/' },
    },
    {
      name: 'web-uses-the-domain-only',
      comment:
        'The browser app is a client of the API: it shares the pure domain, never adapters, use cases or AWS clients.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: ['^shared/(adapters|use-cases)/', AWS_SDK, '^(functions|infra|workflows|test)/'] },
    },
    {
      name: 'nothing-imports-web',
      severity: 'error',
      from: { pathNot: '^web/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.local|node_modules|web/dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
