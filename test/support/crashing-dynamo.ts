/**
 * Started by test/integration/dynamodb-orphan.test.ts: runs DynamoDB Local as the local stack does,
 * prints the Java process's id, then dies the hard way (SIGKILL: no exit handler runs).
 */
import { startDynamo } from '@infra/local/dynamodb';
import { freePort } from '@infra/local/net';

void (async () => {
  const dynamo = await startDynamo(await freePort());
  process.stdout.write(`${JSON.stringify({ pid: dynamo.pid })}\n`);
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200);
})();
