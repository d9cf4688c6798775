import { useText } from '../i18n';
import { MyTasks } from './my-tasks';
import { OpenApplication } from './open-application';
import { CallOverview } from './overview';
import { CallPicker, RoundError, useCallChoice } from './round-common';

/**
 * A staff member's start page: what is due this week, their own open tasks, then the call at a
 * glance (each type's quota and where its applications stand, and the call's dates).
 */
export function StaffHomePage() {
  const { t } = useText();
  const choice = useCallChoice();
  return (
    <>
      <h1>{t('工作台', 'Workspace')}</h1>
      <OpenApplication />
      {choice.error && <RoundError error={choice.error} />}
      <CallPicker calls={choice.calls} callId={choice.callId} />
      {choice.callId ? (
        <CallOverview callId={choice.callId} key={choice.callId}>
          <MyTasks />
        </CallOverview>
      ) : (
        <MyTasks />
      )}
    </>
  );
}
