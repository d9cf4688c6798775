/** A member unit as `PUT /units/{unitId}` and `PUT /units/{unitId}/standing` answer it. */
export interface UnitProfile {
  unitId: string;
  name?: { zh: string; en: string };
  email?: string;
  barred: boolean;
  barredReason?: string | null;
  standingUpdatedAt?: string;
  standingUpdatedBy?: string;
  standingLog?: Array<{
    barred: boolean;
    reason?: string;
    by: string;
    at: string;
    lifted?: Array<{ reason: { zh: string; en: string } }>;
  }>;
}
