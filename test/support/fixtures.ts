import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type ApplicationForm, validateApplication } from '@shared/domain/application-form';
import { type Call, getCall } from '@shared/domain/catalogue';

/**
 * The data every kind of test starts from: the 2024 call and the example applications in
 * seeds/examples (one per project type, each complete and passing every check).
 */

/** An application body as a unit sends it: plain JSON, freely changed by a test. */
export type Body = Record<string, any>;

export const EXAMPLES_DIR = path.resolve(__dirname, '../../seeds/examples');

/** The 2024 call (粤科协学〔2023〕14号), as the product parses it from seeds/call-2024.json. */
export function call(): Call {
  const c = getCall('gdast-2024');
  if (!c) throw new Error('gdast-2024 missing');
  return c;
}

/** The text of seeds/examples/<typeId>.json, as it stands in the file. */
export function exampleText(typeId: string): string {
  return readFileSync(path.join(EXAMPLES_DIR, `${typeId}.json`), 'utf8');
}

/** A fresh copy of the example application of `typeId`: valid, and passing the formal check. */
export function example(typeId: string): Body {
  return JSON.parse(exampleText(typeId)) as Body;
}

/** The example application of `typeId`, changed by `mutate`, as the 2024 call validates it: the form a stored application holds. */
export function exampleForm(typeId: string, mutate: (body: Body) => void = () => {}): ApplicationForm {
  const body = example(typeId);
  mutate(body);
  const result = validateApplication(call(), body);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** A Lingnan forum that misses three of the notice's requirements and leaves its cost targets empty. */
export function shortForum(): Body {
  const body = example('lingnan-forum');
  body.details.offlineAttendance = 150;
  body.details.days = 4;
  body.details.venueCity = '香港';
  body.performanceTargets.output.cost = [];
  return body;
}
