/**
 * The type-specific details of the form (`details`), one schema per form kind of the catalogue:
 * what a forum, a salon or a training needs to say that the common fields do not.
 */
import * as z from '../zod';
import type { FormKind, ProjectType } from '../catalogue/project-type';
import { formFieldSchemas, list, text } from './field-schemas';

function forumDetailsSchema() {
  const { CityName, Count, IsoDateField } = formFieldSchemas();
  return z.strictObject({
    venueCity: CityName,
    days: z.int().check(z.gte(1)),
    /** required: the forum's reports are due from its end (this date plus its days), which nothing else tells */
    startDate: IsoDateField,
    offlineAttendance: Count,
    onlineAttendance: z.optional(Count),
    speakers: list(
      z.strictObject({ name: text(1, 100), title: text(1, 100), affiliation: text(1, 200), subField: text(1, 100) }),
      0,
      50,
    ),
    /** the city whose industry the forum is tied to, if any (a priority criterion) */
    industryLinkCity: z.optional(text(1, 50)),
  });
}

export const SUB_FORUM_KINDS = [
  'lingnan-press-conference',
  'local-economy-seminar',
  'professional-forum',
  'other',
] as const;
export const SOCIETY_DISCIPLINES = ['science', 'engineering', 'agriculture', 'medicine', 'comprehensive'] as const;

function activityMonthDetailsSchema() {
  const { CityName, Count } = formFieldSchemas();
  return z.strictObject({
    venueCity: CityName,
    days: z.int().check(z.gte(1)),
    offlineAttendance: Count,
    onlineAttendance: z.optional(Count),
    mainForumExperts: list(
      z.strictObject({ name: text(1, 100), title: text(1, 100), affiliation: text(1, 200) }),
      0,
      50,
    ),
    subForums: list(
      z.strictObject({
        title: text(1, 200),
        kind: z.enum(SUB_FORUM_KINDS),
        /** the member society co-organising it */
        coOrganiser: z.optional(text(1, 200)),
        /** that society's discipline group (理/工/农/医/综合) */
        discipline: z.optional(z.enum(SOCIETY_DISCIPLINES)),
      }),
      0,
      50,
    ),
    expertServiceGroups: z.optional(list(text(1, 200), 0, 20)),
  });
}

/** Static shape; at run time `objective` must be one of the type's objective ids. */
const publicServiceDetailsSchema = () => z.strictObject({ objective: text(1, 100) });

const salonDetailsSchema = () =>
  z.strictObject({
    sessions: list(z.strictObject({ title: text(1, 200), plannedDate: formFieldSchemas().IsoDateField }), 0, 20),
  });

function trainingDetailsSchema() {
  const { Count } = formFieldSchemas();
  return z.strictObject({ trainees: Count, trips: Count, destination: text(1, 200) });
}

function lectureHallDetailsSchema() {
  const { Count, Quantity } = formFieldSchemas();
  return z.strictObject({ lectures: Count, secretaryRecordedHours: Quantity, staffRecordedHours: Quantity });
}

function publicityDetailsSchema() {
  const { Count } = formFieldSchemas();
  return z.strictObject({ bulletinIssues: Count, organisationsCovered: Count });
}

const generalDetailsSchema = () => z.strictObject({});

export type ForumDetails = z.infer<ReturnType<typeof forumDetailsSchema>>;
export type ActivityMonthDetails = z.infer<ReturnType<typeof activityMonthDetailsSchema>>;
export type PublicServiceDetails = z.infer<ReturnType<typeof publicServiceDetailsSchema>>;
export type SalonDetails = z.infer<ReturnType<typeof salonDetailsSchema>>;
export type TrainingDetails = z.infer<ReturnType<typeof trainingDetailsSchema>>;
export type LectureHallDetails = z.infer<ReturnType<typeof lectureHallDetailsSchema>>;
export type PublicityDetails = z.infer<ReturnType<typeof publicityDetailsSchema>>;
export type GeneralDetails = z.infer<ReturnType<typeof generalDetailsSchema>>;

export interface DetailsByFormKind {
  forum: ForumDetails;
  'activity-month': ActivityMonthDetails;
  'public-service': PublicServiceDetails;
  salon: SalonDetails;
  training: TrainingDetails;
  'lecture-hall': LectureHallDetails;
  publicity: PublicityDetails;
  general: GeneralDetails;
}
export type ApplicationDetails = DetailsByFormKind[FormKind];

/** How each form kind's static details schema is built (public-service is narrowed per type at run time). */
const DETAILS_SCHEMAS: { readonly [K in FormKind]: () => z.ZodMiniType<DetailsByFormKind[K]> } = {
  forum: forumDetailsSchema,
  'activity-month': activityMonthDetailsSchema,
  'public-service': publicServiceDetailsSchema,
  salon: salonDetailsSchema,
  training: trainingDetailsSchema,
  'lecture-hall': lectureHallDetailsSchema,
  publicity: publicityDetailsSchema,
  general: generalDetailsSchema,
};
const builtDetailsSchemas = new Map<FormKind, z.ZodMiniType>();

/** A form kind's static details schema, built the first time that kind is read (../once.ts says why). */
export function detailsSchema<K extends FormKind>(kind: K): z.ZodMiniType<DetailsByFormKind[K]> {
  let schema = builtDetailsSchemas.get(kind);
  if (!schema) {
    schema = DETAILS_SCHEMAS[kind]();
    builtDetailsSchemas.set(kind, schema);
  }
  return schema as z.ZodMiniType<DetailsByFormKind[K]>;
}

/** Built once per type (the catalogue is frozen and lives as long as the process). */
const publicServiceSchemas = new WeakMap<ProjectType, z.ZodMiniType>();

/** The details schema of a type: its form kind's, with a public-service objective narrowed to the type's own ids. */
export function detailsSchemaFor(type: ProjectType): z.ZodMiniType {
  if (type.form !== 'public-service') return detailsSchema(type.form);
  let schema = publicServiceSchemas.get(type);
  if (!schema) {
    const ids = (type.objectives ?? []).map((o) => o.id);
    schema = z.strictObject({ objective: z.enum(ids as [string, ...string[]]) });
    publicServiceSchemas.set(type, schema);
  }
  return schema;
}
