import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Local stand-in for Cognito: a signed bearer token carrying the same claims the Cognito authorizer
 * puts on the event (sub, custom:unitId, cognito:groups). The gateway verifies it and passes the
 * claims on exactly as API Gateway would, so handlers cannot tell local from AWS.
 */
export type LocalClaims = {
  sub: string;
  'custom:unitId'?: string;
  'cognito:groups'?: string[];
  email?: string;
  email_verified?: boolean;
  iat: number;
  exp: number;
};

const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export class LocalTokens {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  private sign(data: string): string {
    return b64(createHmac('sha256', this.secret).update(data).digest());
  }

  /** A staff member's email (as Cognito's ID token carries it) finds their tasks (GET /staff/tasks). */
  issue(
    identity: { unitId: string } | { role: 'staff' | 'admin'; email?: string },
    ttlSeconds = 12 * 3600,
  ): { token: string; claims: LocalClaims } {
    const iat = Math.floor(Date.now() / 1000);
    const claims: LocalClaims =
      'unitId' in identity
        ? { sub: `unit:${identity.unitId}`, 'custom:unitId': identity.unitId, iat, exp: iat + ttlSeconds }
        : {
            sub: `${identity.role}:${identity.email ?? 'local'}`,
            'cognito:groups': identity.role === 'admin' ? ['staff', 'admin'] : ['staff'],
            // Staff accounts are created by an administrator with a verified address, as on Cognito.
            ...(identity.email ? { email: identity.email, email_verified: true } : {}),
            iat,
            exp: iat + ttlSeconds,
          };
    const body = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
    return { token: `${body}.${this.sign(body)}`, claims };
  }

  verify(token: string): LocalClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as LocalClaims;
      return claims.exp > Date.now() / 1000 ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
