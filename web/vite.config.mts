import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The societies' web app. Served under /app/ (the API keeps the root locally; on AWS CloudFront
 * serves the app's bucket). The domain's form schema and call types come from shared/domain, so a
 * rule the API checks is the rule the form shows.
 */
export default defineConfig({
  root: here('.'),
  base: '/app/',
  plugins: [preact()],
  resolve: { alias: { '@shared': here('../shared'), '@seeds': here('../seeds') } },
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
