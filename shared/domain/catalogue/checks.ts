/**
 * Checks: the checkable requirements of a project type, as data, so a new threshold in next year's
 * notice is a seed change and the formal check (formal-check.ts) needs none. `path` is a dot path
 * into the application body; `field` is a dot path into each item of the array at `path`.
 * The schemas are built on first use (../once.ts says why).
 */
import * as z from '../zod';
import { once } from '../once';
import { fieldSchemas } from './fields';

/** Sources a `oneOf` check may take its values from: a string array on the call. */
export const VALUE_SOURCES = ['guangdongCities'] as const;

/** Checks on one value, or on an array's length. */
function valueChecks() {
  const { DotPath } = fieldSchemas();
  return [
    /** number at path ≥ value */
    z.strictObject({ op: z.literal('min'), path: DotPath, value: z.number() }),
    /** number at path ≤ value */
    z.strictObject({ op: z.literal('max'), path: DotPath, value: z.number() }),
    /** value at path is one of `values`, or of the call's list named by `valuesFrom` */
    z
      .strictObject({
        op: z.literal('oneOf'),
        path: DotPath,
        values: z.optional(z.array(z.string()).check(z.minLength(1))),
        valuesFrom: z.optional(z.enum(VALUE_SOURCES)),
      })
      .check(
        z.refine((c) => (c.values === undefined) !== (c.valuesFrom === undefined), {
          message: 'a oneOf check needs exactly one of values or valuesFrom',
        }),
      ),
    /** array length ≥ value */
    z.strictObject({ op: z.literal('minCount'), path: DotPath, value: z.int().check(z.gte(0)) }),
  ] as const;
}

/** Checks on the items of an array at `path`, by their `field`. */
function itemChecks() {
  const { BilingualSchema, DotPath } = fieldSchemas();
  const Scalar = z.union([z.string(), z.number(), z.boolean()]);
  const count = z.int().check(z.gte(0));
  return [
    /** distinct values of `field` among the array's items ≥ value */
    z.strictObject({ op: z.literal('minDistinct'), path: DotPath, field: DotPath, value: count }),
    /** items whose `field` === equals ≥ value */
    z.strictObject({ op: z.literal('minCountWhere'), path: DotPath, field: DotPath, equals: Scalar, value: count }),
    /** items matching `where` whose `field` is filled in (not blank) ≥ value */
    z.strictObject({
      op: z.literal('minCountWith'),
      path: DotPath,
      field: DotPath,
      where: z.strictObject({ field: DotPath, equals: Scalar }),
      value: count,
    }),
    /** every one of `values` appears as `field` of some item (of the items matching `where`, if given) */
    z.strictObject({
      op: z.literal('coversAll'),
      path: DotPath,
      field: DotPath,
      values: z.array(z.string()).check(z.minLength(1)),
      where: z.optional(z.strictObject({ field: DotPath, equals: Scalar })),
      /** how to name each value in a formal-check reason; the raw value is used when absent */
      labels: z.optional(z.record(z.string(), BilingualSchema)),
    }),
  ] as const;
}

export const checkSchemas = once(() => {
  const { BilingualSchema, Kebab } = fieldSchemas();
  const CheckSchema = z.discriminatedUnion('op', [...valueChecks(), ...itemChecks()]);
  return { CheckSchema, RequirementSchema: z.strictObject({ id: Kebab, text: BilingualSchema, check: CheckSchema }) };
});

type CheckSchemas = ReturnType<typeof checkSchemas>;
export type Check = z.infer<CheckSchemas['CheckSchema']>;
export type CheckOp = Check['op'];
export type Requirement = z.infer<CheckSchemas['RequirementSchema']>;
