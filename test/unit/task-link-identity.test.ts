import { randomBytes } from 'node:crypto';
import {
  isTaskIdShaped,
  linkSignature,
  linkTaskId,
  taskLink,
  verifyLinkSignature,
} from '@shared/domain/tasks/link-identity';

const key = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const otherKey = randomBytes(32);
const name = 'app-0001#formal-review#r1';
const email = 'Dengmei@GDAST.example.org';

describe('linkTaskId', () => {
  test('is deterministic: the same key and name give the same id', () => {
    expect(linkTaskId(key, name)).toBe(linkTaskId(Buffer.from(key), name));
  });

  test('differs for a different name or a different key', () => {
    const id = linkTaskId(key, name);
    expect(linkTaskId(key, 'app-0001#formal-review#r2')).not.toBe(id);
    expect(linkTaskId(key, 'app-0002#formal-review#r1')).not.toBe(id);
    expect(linkTaskId(key, 'app-0001#paper-copy#r1')).not.toBe(id);
    expect(linkTaskId(otherKey, name)).not.toBe(id);
  });

  test('ids are 22 url-safe characters, and shaped like task ids', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const id = linkTaskId(key, `app-${i}#target-review#r1`);
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(encodeURIComponent(id)).toBe(id);
      expect(isTaskIdShaped(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(500);
  });

  test('refuses a missing or short key', () => {
    expect(() => linkTaskId(Buffer.alloc(0), name)).toThrow(RangeError);
    expect(() => linkTaskId(Buffer.from('short'), name)).toThrow(RangeError);
    expect(() => linkSignature(Buffer.alloc(0), 'x', email)).toThrow(RangeError);
  });
});

describe('linkSignature / verifyLinkSignature', () => {
  const taskId = linkTaskId(key, name);
  const sig = linkSignature(key, taskId, email);

  test('is 32 url-safe characters', () => {
    expect(sig).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  test('verifies for the same id and assignee, the address compared case-insensitively', () => {
    expect(verifyLinkSignature(key, taskId, email, sig)).toBe(true);
    expect(verifyLinkSignature(key, taskId, email.toLowerCase(), sig)).toBe(true);
    expect(verifyLinkSignature(key, taskId, email.toUpperCase(), sig)).toBe(true);
    expect(linkSignature(key, taskId, email.toLowerCase())).toBe(sig);
  });

  test('fails for another task, another assignee or another key', () => {
    const otherId = linkTaskId(key, 'app-0001#formal-review#r2');
    expect(verifyLinkSignature(key, otherId, email, sig)).toBe(false);
    expect(verifyLinkSignature(key, taskId, 'someone-else@gdast.example.org', sig)).toBe(false);
    expect(verifyLinkSignature(otherKey, taskId, email, sig)).toBe(false);
  });

  test('fails for a tampered, short, long or non-string signature', () => {
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(verifyLinkSignature(key, taskId, email, flipped)).toBe(false);
    expect(verifyLinkSignature(key, taskId, email, sig.slice(0, 31))).toBe(false);
    expect(verifyLinkSignature(key, taskId, email, `${sig}A`)).toBe(false);
    expect(verifyLinkSignature(key, taskId, email, '')).toBe(false);
    // the same number of characters, more bytes
    expect(verifyLinkSignature(key, taskId, email, `${sig.slice(0, 31)}é`)).toBe(false);
    for (const bad of [undefined, null, 42, ['x'], { sig }, Buffer.from(sig)]) {
      expect(verifyLinkSignature(key, taskId, email, bad)).toBe(false);
    }
  });
});

describe('taskLink', () => {
  test('builds {apiBase}tasks/{taskId}?sig={sig}', () => {
    const taskId = linkTaskId(key, name);
    const sig = linkSignature(key, taskId, email);
    expect(taskLink('https://api.example.org/prod/', taskId, sig)).toBe(
      `https://api.example.org/prod/tasks/${taskId}?sig=${sig}`,
    );
  });

  test('encodes the parts and tolerates a base without its trailing slash', () => {
    expect(taskLink('http://127.0.0.1:3000/', 'a/b c', 'x+y=&z')).toBe(
      'http://127.0.0.1:3000/tasks/a%2Fb%20c?sig=x%2By%3D%26z',
    );
    expect(taskLink('http://127.0.0.1:3000', 'abc', 'def')).toBe('http://127.0.0.1:3000/tasks/abc?sig=def');
  });
});

describe('isTaskIdShaped', () => {
  test('takes exactly 22 base64url characters', () => {
    expect(isTaskIdShaped('AbCdEfGhIjKlMnOpQr_-09')).toBe(true);
    for (const bad of [
      '',
      'AbCdEfGhIjKlMnOpQr_-0',
      'AbCdEfGhIjKlMnOpQr_-090',
      'AbCdEfGhIjKlMnOpQr_+09',
      'AbCdEfGhIjKlMnOpQr/=09',
      'app-0001#formal-review',
      'AbCdEfGhIjKlMnOpQr_-0\n',
    ]) {
      expect(isTaskIdShaped(bad)).toBe(false);
    }
    expect(isTaskIdShaped(undefined as unknown as string)).toBe(false);
  });
});
