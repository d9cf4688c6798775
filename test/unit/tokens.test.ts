import { randomBytes } from 'node:crypto';
import { LocalTokens } from '@infra/local/tokens';

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('LocalTokens', () => {
  const secret = randomBytes(32);
  const tokens = new LocalTokens(secret);

  afterEach(() => jest.useRealTimers());

  test('a unit token verifies to the claims Cognito would give a unit', () => {
    const { token, claims } = tokens.issue({ unitId: 'gd-physics-society' });
    expect(token.split('.')).toHaveLength(3);
    expect(claims).toMatchObject({ sub: 'unit:gd-physics-society', 'custom:unitId': 'gd-physics-society' });
    expect(claims['cognito:groups']).toBeUndefined();
    expect(claims.exp - claims.iat).toBe(12 * 3600);
    expect(tokens.verify(token)).toEqual(claims);
  });

  test('staff and admin tokens carry their groups', () => {
    expect(tokens.verify(tokens.issue({ role: 'staff' }).token)).toMatchObject({ 'cognito:groups': ['staff'] });
    expect(tokens.verify(tokens.issue({ role: 'admin' }).token)).toMatchObject({
      'cognito:groups': ['staff', 'admin'],
    });
  });

  test('a tampered signature is refused', () => {
    const { token } = tokens.issue({ unitId: 'gd-physics-society' });
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(tokens.verify(`${header}.${payload}.${flipped}`)).toBeUndefined();
    expect(tokens.verify(`${header}.${payload}.`)).toBeUndefined();
    expect(tokens.verify(`${header}.${payload}.${signature}x`)).toBeUndefined();
  });

  test('tampered claims are refused (a unit cannot make itself staff or another unit)', () => {
    const { token, claims } = tokens.issue({ unitId: 'gd-physics-society' });
    const [header, , signature] = token.split('.');
    const asStaff = b64json({ ...claims, 'cognito:groups': ['staff', 'admin'] });
    expect(tokens.verify(`${header}.${asStaff}.${signature}`)).toBeUndefined();
    const asOther = b64json({ ...claims, 'custom:unitId': 'gd-chemistry-society' });
    expect(tokens.verify(`${header}.${asOther}.${signature}`)).toBeUndefined();
  });

  test('an expired token is refused', () => {
    jest.useFakeTimers({ now: new Date('2023-09-01T00:00:00Z') });
    const { token } = tokens.issue({ unitId: 'gd-physics-society' }, 60);
    expect(tokens.verify(token)).toBeDefined();
    jest.setSystemTime(new Date('2023-09-01T00:00:59Z'));
    expect(tokens.verify(token)).toBeDefined();
    jest.setSystemTime(new Date('2023-09-01T00:01:00Z'));
    expect(tokens.verify(token)).toBeUndefined();
    jest.setSystemTime(new Date('2023-09-02T00:00:00Z'));
    expect(tokens.verify(token)).toBeUndefined();
  });

  test('a token signed with another secret is refused', () => {
    const other = new LocalTokens(randomBytes(32));
    const { token } = other.issue({ role: 'staff' });
    expect(other.verify(token)).toBeDefined();
    expect(tokens.verify(token)).toBeUndefined();
    // and the same secret in another instance (a restarted local stack with its data dir) accepts it
    expect(new LocalTokens(Buffer.from(secret)).verify(tokens.issue({ role: 'staff' }).token)).toBeDefined();
  });

  test('garbage is refused without throwing', () => {
    for (const garbage of ['', 'abc', 'a.b', 'a.b.c.d', '...', 'not.a.token']) {
      expect(tokens.verify(garbage)).toBeUndefined();
    }
  });
});
