// Fails when the weapp build's JavaScript reaches for a browser global that WeChat does not have
// (window, document, localStorage, sessionStorage, navigator, location, XMLHttpRequest, fetch, DOM
// classes…): on a phone that is a ReferenceError at run time, not at build time.
//
// Every file under dist/weapp is parsed (acorn) and every identifier that names one of those globals
// as a value is reported, except:
// - `typeof x`: never throws, it is how code asks whether it runs in a browser;
// - a use inside the branch that such a test guards (`if ("object" === typeof window) return window`,
//   `typeof window !== "undefined" && window.x`, `… ? window : …`): webpack's own runtime does this
//   to find the global object, and it never runs the guarded branch on WeChat;
// - a name the file itself declares (a parameter, a variable, a function): then it is not the global.
// Property names (`e.window`, `{ document: … }`) and strings are not references. Taro's own BOM
// (`window`, `document`, `navigator` objects of @tarojs/runtime that plugin-html provides) reaches
// the code as a module export (`t(4503)["window"]`), a property access, so it is not flagged either.
//
// Usage: node scripts/weapp-dom-check.mjs [dir]   (default dist/weapp)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { fullAncestor } from 'acorn-walk';

export const BROWSER_GLOBALS = new Set([
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'navigator',
  'location',
  'history',
  'XMLHttpRequest',
  'fetch',
  'HTMLElement',
  'Element',
  'Node',
  'MutationObserver',
  'requestAnimationFrame',
  'indexedDB',
]);

/** Whether `node` tests `typeof name` anywhere inside it. */
function testsTypeof(node, name) {
  let found = false;
  fullAncestor(node, (n) => {
    if (n.type === 'UnaryExpression' && n.operator === 'typeof' && n.argument.type === 'Identifier' && n.argument.name === name) found = true;
  });
  return found;
}

/** Whether the identifier (last of `ancestors`) is a value reference, not a key or a declaration. */
function isReference(ancestors) {
  const id = ancestors[ancestors.length - 1];
  const parent = ancestors[ancestors.length - 2];
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && parent.property === id && !parent.computed) return false;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.key === id && !parent.computed) {
    // `{ window }` shorthand is a reference.
    return parent.shorthand === true;
  }
  if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return false;
  return true;
}

/** Whether a guard on `typeof name` protects the identifier (last of `ancestors`). */
function isGuarded(ancestors, name) {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const a = ancestors[i];
    const child = ancestors[i + 1];
    if (a.type === 'UnaryExpression' && a.operator === 'typeof') return true;
    if ((a.type === 'IfStatement' || a.type === 'ConditionalExpression') && child !== a.test && testsTypeof(a.test, name)) return true;
    if (a.type === 'LogicalExpression' && child === a.right && testsTypeof(a.left, name)) return true;
  }
  return false;
}

/** Names the source declares itself (parameters, variables, functions, classes, catch bindings). */
function declaredNames(ast) {
  const names = new Set();
  const addPattern = (p) => {
    if (!p) return;
    if (p.type === 'Identifier') names.add(p.name);
    else if (p.type === 'ObjectPattern') p.properties.forEach((q) => addPattern(q.type === 'RestElement' ? q.argument : q.value));
    else if (p.type === 'ArrayPattern') p.elements.forEach(addPattern);
    else if (p.type === 'RestElement') addPattern(p.argument);
    else if (p.type === 'AssignmentPattern') addPattern(p.left);
  };
  fullAncestor(ast, (n) => {
    if (n.type === 'VariableDeclarator') addPattern(n.id);
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') {
      if (n.id) names.add(n.id.name);
      n.params.forEach(addPattern);
    }
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) names.add(n.id.name);
    if (n.type === 'CatchClause') addPattern(n.param);
  });
  return names;
}

/** The browser globals `source` uses unguarded: `{ name, line, column, excerpt }` each. */
export function findBrowserGlobals(source) {
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true });
  const declared = declaredNames(ast);
  const found = [];
  fullAncestor(ast, (node, _state, ancestors) => {
    if (node.type !== 'Identifier' || !BROWSER_GLOBALS.has(node.name) || declared.has(node.name)) return;
    if (!isReference(ancestors) || isGuarded(ancestors, node.name)) return;
    found.push({
      name: node.name,
      line: node.loc.start.line,
      column: node.loc.start.column,
      excerpt: source.slice(Math.max(0, node.start - 40), node.end + 40),
    });
  });
  return found;
}

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return jsFiles(p);
    return p.endsWith('.js') ? [p] : [];
  });
}

/** Checks every .js file under `dir`; returns the findings with their file. */
export function checkBundle(dir) {
  return jsFiles(dir).flatMap((file) => findBrowserGlobals(readFileSync(file, 'utf8')).map((f) => ({ file: path.relative(dir, file), ...f })));
}

/**
 * The check's own test, run before every scan: code that must be flagged and code that must not.
 * A check that cannot fail would pass any bundle.
 */
export const SELF_TEST = {
  flagged: [
    ['window.foo = 1;', 'window'],
    ['var x = document.createElement("div");', 'document'],
    ['localStorage.setItem("k", "v");', 'localStorage'],
    ['var ua = navigator.userAgent;', 'navigator'],
    ['function f(){ return fetch("/api"); }', 'fetch'],
    ['var w = { window };', 'window'],
    ['if (typeof document !== "undefined") {} window.x = 1;', 'window'],
  ],
  clean: [
    'if ("object" === typeof window) { var g = window; }',
    'var h = typeof window !== "undefined" && window.history;',
    'var g = typeof window === "object" ? window : {};',
    'var t = e.window; var o = { document: 1 }; var s = "window";',
    'var m = t(4503)["navigator"];',
    'function f(document) { return document.body; }',
  ],
};

function selfTest() {
  const problems = [];
  for (const [code, name] of SELF_TEST.flagged) {
    if (!findBrowserGlobals(code).some((f) => f.name === name)) problems.push(`not flagged: ${code}`);
  }
  for (const code of SELF_TEST.clean) {
    const f = findBrowserGlobals(code);
    if (f.length) problems.push(`flagged ${f.map((x) => x.name).join(', ')} in: ${code}`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = selfTest();
  if (problems.length) {
    console.error(`weapp runtime check is broken:\n  ${problems.join('\n  ')}`);
    process.exit(2);
  }
  const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../dist/weapp'));
  const files = jsFiles(dir).length;
  const findings = checkBundle(dir);
  for (const f of findings) console.error(`${f.file}:${f.line}:${f.column} uses the browser global \`${f.name}\`: …${f.excerpt}…`);
  if (findings.length) {
    console.error(`weapp runtime check: ${findings.length} browser global(s) WeChat does not have`);
    process.exit(1);
  }
  console.log(`weapp runtime check: ${files} script files, no browser globals (window, document, localStorage, navigator…)`);
}
