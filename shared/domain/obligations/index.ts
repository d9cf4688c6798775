/**
 * After the award (立项后): the reports an awarded project owes, when each is due, what each report
 * holds, and what they decide about the unit's standing in the next call. Pure: the use cases store
 * the records and run the reminders.
 */
export * from './records';
export * from './due-dates';
export * from './owed';
export * from './report-fields';
export * from './report-files';
export * from './next-call-standing';
