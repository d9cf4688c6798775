import type { Bilingual } from '@shared/domain/catalogue/fields';
import type { ApplicationStatus } from '@shared/domain/application-record';

/**
 * A row of staff's table of a call's applications (`GET /calls/{callId}/applications`): the
 * API answers it and the web app reads it, one type for both.
 */
export interface ApplicationRow {
  applicationId: string;
  unitId: string;
  unitName: string;
  projectTypeId: string;
  typeName: Bilingual;
  title: string;
  status: ApplicationStatus;
  createdAt: string;
  updatedAt: string;
}
