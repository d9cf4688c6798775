/** Who is signed in, read from the ID token the API will check (Cognito's or the local one). */
export interface Person {
  token: string;
  kind: 'unit' | 'staff';
  unitId?: string;
  email?: string;
  /** seconds since the epoch */
  expiresAt: number;
}

export function personFromToken(token: string): Person | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<
      string,
      unknown
    >;
    const groups = claims['cognito:groups'];
    const staff = Array.isArray(groups)
      ? groups.includes('staff')
      : String(groups ?? '')
          .split(',')
          .includes('staff');
    const unitId = typeof claims['custom:unitId'] === 'string' ? claims['custom:unitId'] : undefined;
    if (!staff && !unitId) return undefined;
    return {
      token,
      kind: staff ? 'staff' : 'unit',
      unitId,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      expiresAt: typeof claims.exp === 'number' ? claims.exp : 0,
    };
  } catch {
    return undefined;
  }
}
