import './polyfills';
import * as path from 'node:path';
import { toBeijingIso } from '@shared/domain/clock';
import { DEFAULT_CLOCK_START, startLocalStack } from './local-stack';
import { buildWebApp } from './web-app';

const port = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

async function main() {
  const started = Date.now();
  const stack = await startLocalStack({
    ports: {
      api: port('API_PORT'),
      email: port('EMAIL_PORT'),
      dynamodb: port('DYNAMODB_PORT'),
      stepfunctions: port('STEPFUNCTIONS_PORT'),
      files: port('FILES_PORT'),
    },
    dataDir: path.resolve(__dirname, '../../.local'),
    clockStart: new Date(process.env.LOCAL_CLOCK_START ?? DEFAULT_CLOCK_START),
    log: (message) => console.log(message),
    accessLog: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
    webRoot: buildWebApp((message) => console.log(message)),
  });
  console.log(`
Funding call running locally (started in ${((Date.now() - started) / 1000).toFixed(1)} s)
  Web app        ${stack.urls.web}   (societies sign in here: pick a unit on the local sign-in page)
  API            ${stack.urls.api}
  Email page     ${stack.urls.email}
  Console        ${stack.urls.api}/_local/console   (local mode's tools: the clock, executions, the mailbox, the sweep)
  Applications   ${stack.urls.web}staff/applications   (the staff workspace: the same pages as on AWS)
  Step Functions ${stack.urls.stepfunctions}   (the AWS API; state machine ${stack.stateMachineArn})
  DynamoDB       ${stack.urls.dynamodb}   (table funding-call, data in .local/)
  Files (S3)     ${stack.urls.files}   (s3rver, bucket funding-call-files, data in .local/s3/)
  Clock          ${toBeijingIso(stack.now())} Beijing time  (GET|POST ${stack.urls.api}/_local/clock; kept in .local/ across restarts)
  Emails         kept in .local/emails.jsonl across restarts
Get a token:  curl -s -X POST ${stack.urls.api}/_local/token -d '{"unitId":"gd-physics-society"}'
Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
