import type { ApplicationForm } from '@shared/domain/application-form';
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Call } from '@shared/domain/catalogue';
import type { UnitAddressee } from '@shared/domain/email';
import { call as theCall, example } from './fixtures';

/**
 * The one application the email-text tests write about: the 2024 forum example of the physics
 * society, whose form contact writes from a personal address (not the unit's registered one, which
 * the emails must go to). `patch` sets its status and what that status brings.
 */
export function forumApplication(patch: Partial<ApplicationRecord> = {}): {
  call: Call;
  form: ApplicationForm;
  app: ApplicationRecord;
  unit: UnitAddressee;
} {
  const call = theCall();
  const form = example('lingnan-forum') as ApplicationForm;
  form.contact = { ...form.contact, email: 'lixiaolin@personal.example.com' };
  const app: ApplicationRecord = {
    applicationId: 'app-0123456789abcdef',
    callId: call.callId,
    unitId: 'gd-physics-society',
    projectTypeId: 'lingnan-forum',
    form,
    status: 'SUBMITTED',
    history: [],
    marks: {},
    version: 1,
    createdAt: '2023-09-20T10:30:00.000+08:00',
    updatedAt: '2023-09-20T10:30:05.000+08:00',
    ...patch,
  };
  return { call, form, app, unit: { unitName: '广东省物理学会', email: 'office@gd-physics.example.org' } };
}
