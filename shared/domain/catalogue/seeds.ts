/**
 * Loading the calls and the sample units from `seeds/`, validated once, at first use. Kept apart from
 * the schemas because it reads files through the bundler: a browser imports the schemas, not this.
 */
import * as z from '../zod';
import units from '@seeds/units.json';
import { deepFreeze } from '../deep-freeze';
import { notFound } from '../errors';
import { CallSchema, UnitSeedSchema, type Call, type UnitSeed } from './call-schema';

/** The years a call seed may be for. */
const SEED_YEARS = { from: 2000, to: 2100 };

/**
 * Every `seeds/call-<year>.json` there is. The require's path is a template, so esbuild bundles
 * every file the pattern matches (and jest reads them from disk): a new seed needs no code. A year
 * without a file is simply skipped.
 */
function readCallSeeds(): { source: string; raw: unknown }[] {
  const seeds: { source: string; raw: unknown }[] = [];
  for (let year = SEED_YEARS.from; year <= SEED_YEARS.to; year++) {
    let raw: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a glob the bundler expands; see above
      raw = require(`../../../seeds/call-${year}.json`);
    } catch {
      continue;
    }
    seeds.push({ source: `seeds/call-${year}.json`, raw });
  }
  return seeds;
}

/** Validates one call seed; throws an Error naming the seed and every invalid field. */
export function parseCall(raw: unknown, source = 'call seed'): Call {
  const result = CallSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`Invalid call catalogue in ${source}:\n${z.prettifyError(result.error)}`);
  }
  return deepFreeze(result.data);
}

let calls: Call[] | undefined;
let unitSeeds: UnitSeed[] | undefined;

/** Every call in the seeds, validated once (at first use) and frozen. */
export function listCalls(): Call[] {
  if (!calls) {
    const parsed = readCallSeeds().map(({ source, raw }) => parseCall(raw, source));
    const ids = parsed.map((c) => c.callId);
    if (new Set(ids).size !== ids.length) throw new Error(`Invalid call seeds: duplicate callId in ${ids.join(', ')}`);
    calls = deepFreeze(parsed);
  }
  return calls;
}

export function getCall(callId: string): Call | undefined {
  return listCalls().find((c) => c.callId === callId);
}

/** The call, or NOT_FOUND: what a request about a call checks first. */
export function requireCall(callId: string): Call {
  const call = getCall(callId);
  if (!call) throw notFound(`Call ${callId}`);
  return call;
}

/** The sample member societies in seeds/units.json, validated once. */
export function listSeedUnits(): UnitSeed[] {
  if (!unitSeeds) {
    const result = z.array(UnitSeedSchema).safeParse(units);
    if (!result.success) throw new Error(`Invalid seeds/units.json:\n${z.prettifyError(result.error)}`);
    unitSeeds = deepFreeze(result.data);
  }
  return unitSeeds;
}
