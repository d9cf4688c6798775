/**
 * `npx tsx test/bench/code-size.ts`: how readable the code stays as it grows, in figures: the longest
 * modules and functions of the product (shared/, functions/, workflows/, infra/, web/src/), and how
 * many functions are 40 lines or fewer. A function is any declaration, method, arrow or function
 * expression; its length counts its lines from first to last, comments included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['shared', 'functions', 'workflows', 'infra', 'web/src'];
const LONG = 40;

const sources = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sources(relative);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [relative] : [];
  });

interface Measured {
  file: string;
  name: string;
  lines: number;
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

function measure(file: string): { lines: number; functions: Measured[] } {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const functions: Measured[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body)
      functions.push({ file, name: functionName(node), lines: lineOf(node.getEnd()) - lineOf(node.getStart()) + 1 });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { lines: text.split('\n').length, functions };
}

const measured = FOLDERS.flatMap(sources).map((file) => ({ file, ...measure(file) }));
const functions = measured.flatMap((m) => m.functions).sort((a, b) => b.lines - a.lines);
const files = [...measured].sort((a, b) => b.lines - a.lines);
const short = functions.filter((f) => f.lines <= LONG).length;

console.log(`${measured.length} modules, ${functions.length} functions; ${short} of them ${LONG} lines or fewer`);
console.log('\nLongest modules:');
for (const f of files.slice(0, 8)) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
console.log(
  `  shared/ modules over 400 lines: ${files.filter((f) => f.file.startsWith('shared/') && f.lines > 400).length}`,
);
console.log('\nLongest functions:');
for (const f of functions.slice(0, Number(process.env.TOP ?? 10)))
  console.log(`  ${String(f.lines).padStart(5)}  ${f.name}  (${f.file})`);
