import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { functionSpecs } from '@infra/functions';
import { localFunctionNames } from '@infra/local/lambdas';
import { routes } from '@infra/routes';

const FUNCTIONS_DIR = path.resolve(__dirname, '../../functions');

describe('routes and functions', () => {
  test.each(routes.map((route) => [`${route.method} ${route.path}`, route.fn] as const))(
    '%s has a handler module (%s)',
    async (_route, fn) => {
      expect(existsSync(path.join(FUNCTIONS_DIR, `${fn}.ts`))).toBe(true);
      const loaded = (await import(path.join(FUNCTIONS_DIR, fn))) as { handler?: unknown };
      expect(typeof loaded.handler).toBe('function');
    },
  );

  test('no two routes share a method and path', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('every route is served by a function the stack declares', () => {
    const declared = new Set(functionSpecs.map((spec) => spec.name));
    for (const route of routes) expect(declared).toContain(route.fn);
  });

  test.each(functionSpecs.map((spec) => [spec.name] as const))(
    'function %s has a file in functions/ exporting a handler',
    async (name) => {
      expect(existsSync(path.join(FUNCTIONS_DIR, `${name}.ts`))).toBe(true);
      const loaded = (await import(path.join(FUNCTIONS_DIR, name))) as { handler?: unknown };
      expect(typeof loaded.handler).toBe('function');
    },
  );

  test('every handler file in functions/ is a declared function (no orphan Lambdas), and names are unique', () => {
    const files = readdirSync(FUNCTIONS_DIR)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, ''));
    const names = functionSpecs.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...files].sort()).toEqual([...names].sort());
  });

  test('local mode routes every declared function to a handler module', () => {
    expect([...localFunctionNames].sort()).toEqual(functionSpecs.map((spec) => spec.name).sort());
  });
});

describe('the local gateway answers like API Gateway', () => {
  test('an unknown path and a method a resource lacks are both 404 NOT_FOUND', async () => {
    const { createGateway } = await import('@infra/local/gateway');
    const { LocalTokens } = await import('@infra/local/tokens');
    const server = createGateway(new LocalTokens(), async () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const [method, path] of [
        ['GET', '/nope'],
        ['DELETE', '/calls'],
        ['PATCH', '/applications/x'],
      ]) {
        const answer = await fetch(`http://127.0.0.1:${port}${path}`, { method });
        expect({
          method,
          path,
          status: answer.status,
          code: ((await answer.json()) as { error: { code: string } }).error.code,
        }).toEqual({
          method,
          path,
          status: 404,
          code: 'NOT_FOUND',
        });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
