/**
 * A member unit as `PUT /units/{unitId}` and `PUT /units/{unitId}/standing` answer it; `GET
 * /units/{unitId}` adds its standing in each call that follows another, computed as a submission
 * would be judged.
 */
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
  standing?: {
    barred: boolean;
    calls: Array<{
      callId: string;
      previousCallId: string;
      barred: boolean;
      reasons: Array<{ zh: string; en: string }>;
      lifted: unknown[];
    }>;
  };
}
