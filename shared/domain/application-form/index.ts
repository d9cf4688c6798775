/**
 * The application form (申请书): the body of `POST /calls/{callId}/applications` and of
 * `PUT /applications/{applicationId}` (amendments are validated the same way).
 *
 * `validateApplication` checks the form's shape and the rules that tie fields to the catalogue
 * (dates, funding, budget). Whether the type-specific numbers meet the notice's thresholds
 * (attendance, speakers, sessions…) is the formal check's job (formal-check.ts).
 *
 * Every module here is pure and loads in a browser: the front end imports the schemas from
 * `form-schema` and `details-schemas` (or this index) to check a form before it is sent.
 */
export {
  CO_ORGANISER_KINDS,
  type ApplicationForm,
  type Budget,
  type CoOrganiser,
  type Indicator,
  type PerformanceTargets,
  type Person,
} from './form-schema';
export {
  SOCIETY_DISCIPLINES,
  SUB_FORUM_KINDS,
  detailsSchema,
  type ActivityMonthDetails,
  type ApplicationDetails,
  type DetailsByFormKind,
  type ForumDetails,
  type GeneralDetails,
  type LectureHallDetails,
  type PublicServiceDetails,
  type PublicityDetails,
  type SalonDetails,
  type TrainingDetails,
} from './details-schemas';
export {
  MAX_ISSUES,
  validateAmendment,
  validateApplication,
  type FieldIssue,
  type ValidationResult,
} from './validation';
