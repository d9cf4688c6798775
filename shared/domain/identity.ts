import { DomainError } from '@shared/domain/errors';

/**
 * Who is calling, as the Cognito authorizer (on AWS) or the local gateway (locally) vouched for it.
 * Units carry their unit id; staff and admins are groups.
 */
export type Caller =
  | { kind: 'unit'; unitId: string; subject: string }
  | { kind: 'staff'; subject: string; admin: boolean; email?: string }
  | { kind: 'anonymous' };

export type Claims = Record<string, unknown>;

function groupsOf(claims: Claims): string[] {
  const raw = claims['cognito:groups'];
  if (Array.isArray(raw)) return raw.map(String);
  // API Gateway's Cognito authorizer flattens the list into a string: "staff" or "[staff, admin]".
  if (typeof raw === 'string')
    return raw
      .replace(/^\[|\]$/g, '')
      .split(/[,\s]+/)
      .filter(Boolean);
  return [];
}

/**
 * The address a staff member's tasks are found by (GET /staff/tasks lists and signs every open task
 * of it), so only one Cognito has verified: a user may change their own `email`, and until the change
 * is verified the token carries the new address with `email_verified` false. Cognito puts a boolean in
 * the token; API Gateway's REST authorizer hands every claim on as a string ("true").
 */
function verifiedEmailOf(claims: Claims): string | undefined {
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  return verified && typeof claims.email === 'string' && claims.email.length > 0 ? claims.email : undefined;
}

export function callerFromClaims(claims: Claims | undefined | null): Caller {
  if (!claims || typeof claims.sub !== 'string') return { kind: 'anonymous' };
  const groups = groupsOf(claims);
  if (groups.includes('staff') || groups.includes('admin')) {
    const email = verifiedEmailOf(claims);
    return { kind: 'staff', subject: claims.sub, admin: groups.includes('admin'), ...(email ? { email } : {}) };
  }
  const unitId = claims['custom:unitId'];
  if (typeof unitId === 'string' && unitId.length > 0) return { kind: 'unit', unitId, subject: claims.sub };
  return { kind: 'anonymous' };
}

export function requireUnit(caller: Caller): Extract<Caller, { kind: 'unit' }> {
  if (caller.kind === 'unit') return caller;
  if (caller.kind === 'anonymous') throw new DomainError('UNAUTHENTICATED', 'Sign in as a member society to do this');
  throw new DomainError('FORBIDDEN', 'Only a member society can do this');
}

export function requireStaff(caller: Caller): Extract<Caller, { kind: 'staff' }> {
  if (caller.kind === 'staff') return caller;
  if (caller.kind === 'anonymous') throw new DomainError('UNAUTHENTICATED', 'Sign in as association staff to do this');
  throw new DomainError('FORBIDDEN', 'Only association staff can do this');
}
