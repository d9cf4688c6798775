import { DomainError } from '@shared/domain/errors';
import { callerFromClaims, requireStaff, requireUnit, type Caller } from '@shared/domain/identity';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  return undefined;
};

describe('callerFromClaims', () => {
  test('a unit is recognised by custom:unitId', () => {
    expect(callerFromClaims({ sub: 'u-1', 'custom:unitId': 'gd-physics-society' })).toEqual({
      kind: 'unit',
      unitId: 'gd-physics-society',
      subject: 'u-1',
    });
  });

  test('staff from a real list of groups (the local gateway, a JWT authorizer)', () => {
    expect(callerFromClaims({ sub: 's-1', 'cognito:groups': ['staff'] })).toEqual({
      kind: 'staff',
      subject: 's-1',
      admin: false,
    });
    expect(callerFromClaims({ sub: 's-2', 'cognito:groups': ['staff', 'admin'] })).toEqual({
      kind: 'staff',
      subject: 's-2',
      admin: true,
    });
    expect(callerFromClaims({ sub: 's-3', 'cognito:groups': ['admin'] })).toEqual({
      kind: 'staff',
      subject: 's-3',
      admin: true,
    });
  });

  test('the REST Cognito authorizer flattens groups into a string: "staff" or "[staff, admin]"', () => {
    expect(callerFromClaims({ sub: 's-1', 'cognito:groups': 'staff' })).toEqual({
      kind: 'staff',
      subject: 's-1',
      admin: false,
    });
    expect(callerFromClaims({ sub: 's-2', 'cognito:groups': '[staff, admin]' })).toEqual({
      kind: 'staff',
      subject: 's-2',
      admin: true,
    });
    expect(callerFromClaims({ sub: 's-3', 'cognito:groups': '[admin]' })).toEqual({
      kind: 'staff',
      subject: 's-3',
      admin: true,
    });
    expect(callerFromClaims({ sub: 's-4', 'cognito:groups': '[staff]' })).toEqual({
      kind: 'staff',
      subject: 's-4',
      admin: false,
    });
  });

  test("a staff member's email is theirs only once Cognito has verified it (a changed, unverified address finds no one's tasks)", () => {
    const staff = (claims: Record<string, unknown>) =>
      callerFromClaims({ sub: 's-1', 'cognito:groups': ['staff'], email: 'head@gdast.example.org', ...claims });
    // A token carries a boolean; the REST authorizer passes claims on as strings.
    expect(staff({ email_verified: true })).toEqual({
      kind: 'staff',
      subject: 's-1',
      admin: false,
      email: 'head@gdast.example.org',
    });
    expect(staff({ email_verified: 'true' })).toEqual({
      kind: 'staff',
      subject: 's-1',
      admin: false,
      email: 'head@gdast.example.org',
    });
    for (const unverified of [
      { email_verified: false },
      { email_verified: 'false' },
      {},
      { email_verified: 'yes' },
      { email_verified: 1 },
    ])
      expect(staff(unverified)).toEqual({ kind: 'staff', subject: 's-1', admin: false });
    expect(callerFromClaims({ sub: 's-1', 'cognito:groups': ['staff'], email: '', email_verified: true })).toEqual({
      kind: 'staff',
      subject: 's-1',
      admin: false,
    });
  });

  test('group names are matched whole, not as substrings', () => {
    const caller = callerFromClaims({
      sub: 'x',
      'cognito:groups': '[staffers, administrators]',
      'custom:unitId': 'gd-medical-society',
    });
    expect(caller).toEqual({ kind: 'unit', unitId: 'gd-medical-society', subject: 'x' });
  });

  test('staff membership wins over a unit id on the same user', () => {
    const caller = callerFromClaims({ sub: 'x', 'cognito:groups': ['staff'], 'custom:unitId': 'gd-medical-society' });
    expect(caller.kind).toBe('staff');
  });

  test('anyone else is anonymous', () => {
    expect(callerFromClaims(undefined)).toEqual({ kind: 'anonymous' });
    expect(callerFromClaims(null)).toEqual({ kind: 'anonymous' });
    expect(callerFromClaims({})).toEqual({ kind: 'anonymous' });
    // no subject: not a signed-in user, whatever else the claims say
    expect(callerFromClaims({ 'custom:unitId': 'gd-physics-society' })).toEqual({ kind: 'anonymous' });
    expect(callerFromClaims({ sub: 42, 'cognito:groups': ['staff'] })).toEqual({ kind: 'anonymous' });
    // signed in, but neither staff nor a unit
    expect(callerFromClaims({ sub: 'x' })).toEqual({ kind: 'anonymous' });
    expect(callerFromClaims({ sub: 'x', 'custom:unitId': '' })).toEqual({ kind: 'anonymous' });
    expect(callerFromClaims({ sub: 'x', 'cognito:groups': '[]' })).toEqual({ kind: 'anonymous' });
    expect(callerFromClaims({ sub: 'x', 'cognito:groups': ['reviewers'] })).toEqual({ kind: 'anonymous' });
  });
});

describe('requireUnit / requireStaff', () => {
  const unit: Caller = { kind: 'unit', unitId: 'gd-physics-society', subject: 'u' };
  const staff: Caller = { kind: 'staff', subject: 's', admin: false };
  const anonymous: Caller = { kind: 'anonymous' };

  test('requireUnit lets a unit through and refuses the others with 401/403 codes', () => {
    expect(requireUnit(unit)).toBe(unit);
    expect(codeOf(() => requireUnit(anonymous))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => requireUnit(staff))).toBe('FORBIDDEN');
  });

  test('requireStaff lets staff through and refuses the others with 401/403 codes', () => {
    expect(requireStaff(staff)).toBe(staff);
    expect(codeOf(() => requireStaff(anonymous))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => requireStaff(unit))).toBe('FORBIDDEN');
  });
});
