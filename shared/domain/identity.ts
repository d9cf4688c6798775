import { DomainError } from '@shared/domain/errors';

/**
 * Who is calling, as the Cognito authorizer (on AWS) or the local gateway (locally) vouched for it.
 * Units carry their unit id; staff and admins are groups.
 */
export type Caller =
  { kind: 'unit'; unitId: string; subject: string } | { kind: 'staff'; subject: string; admin: boolean; email?: string } | { kind: 'anonymous' };

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

export function callerFromClaims(claims: Claims | undefined | null): Caller {
  if (!claims || typeof claims.sub !== 'string') return { kind: 'anonymous' };
  const groups = groupsOf(claims);
  if (groups.includes('staff') || groups.includes('admin')) {
    const email = typeof claims.email === 'string' ? claims.email : undefined;
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
