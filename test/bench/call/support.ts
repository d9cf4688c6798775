/**
 * The test helpers this folder reuses (test/support), through one door: test/support has no
 * import alias, and the lint rule against `../../` chains is meant for shared code, which has one.
 */
/* eslint-disable no-restricted-imports -- test/support has no alias */
export { expertScore } from '../../support/award';
export { call, example, type Body } from '../../support/fixtures';
export { Api, eventually, startTestStack, type ApiAnswer, type StoredEmail } from '../../support/local';
export { followLink, taskLinkIn, taskLinksIn } from '../../support/task-links';
