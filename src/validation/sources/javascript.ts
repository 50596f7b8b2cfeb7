// What the Node.js rules need to know about one JavaScript file, read with a real parser (acorn): whether it uses ES
// module syntax and CommonJS bindings, its static imports and requires, and the functions it exports.
import * as acorn from 'acorn';

/** A place in a file (1-based line). */
export interface SourceSite {
  readonly line: number;
  readonly what: string;
}

/** A static import of a module: `import … from 'x'`, `export … from 'x'`, or `require('x')` outside a try block. */
export interface StaticImport {
  readonly specifier: string;
  readonly line: number;
}

/** An exported function, as far as the file itself shows it. */
export interface ExportedFunction {
  readonly line: number;
  readonly params: number;
  readonly async: boolean;
  /** The name of its second parameter (the context), when it is a plain identifier. */
  readonly contextName?: string;
}

/** The facts of one file; `parsed` is false when it is not JavaScript acorn can read (then nothing else is known). */
export interface JavaScriptFacts {
  readonly parsed: boolean;
  /** The first ES module syntax (import/export declaration, import.meta, top-level await). */
  readonly esmSyntax?: SourceSite;
  /** The first use of a CommonJS binding (`require`, `module`, `exports`) the file does not declare itself. */
  readonly commonJsBinding?: SourceSite;
  readonly imports: readonly StaticImport[];
  /** Exported functions by export name (`default` for the default export). */
  readonly exportedFunctions: ReadonlyMap<string, ExportedFunction>;
  /** Calls `<object>.succeed|fail|done(…)` by object name: the Node.js context methods. */
  readonly contextCalls: ReadonlyArray<{ readonly object: string; readonly method: string; readonly line: number }>;
}

type Node = Record<string, any>;

/** The 1-based line a node starts on. */
function lineOf(node: Node): number {
  return node.loc?.start.line ?? 0;
}

const COMMONJS_BINDINGS = new Set(['require', 'module', 'exports']);
const CONTEXT_METHODS = new Set(['succeed', 'fail', 'done']);

/** Parses a file's text, as an ES module first and as a script when module parsing fails. */
export function analyzeJavaScript(source: string): JavaScriptFacts {
  let program: Node | undefined;
  for (const sourceType of ['module', 'script'] as const) {
    try {
      program = acorn.parse(source, {
        ecmaVersion: 'latest',
        sourceType,
        locations: true,
        allowHashBang: true,
        allowReturnOutsideFunction: sourceType === 'script',
        allowAwaitOutsideFunction: sourceType === 'script',
      }) as unknown as Node;
      break;
    } catch {
      program = undefined;
    }
  }
  if (!program) return { parsed: false, imports: [], exportedFunctions: new Map(), contextCalls: [] };
  return new Analysis(program).facts();
}

class Analysis {
  private esmSyntax?: SourceSite;
  private readonly commonJsUses: SourceSite[] = [];
  private readonly imports: StaticImport[] = [];
  private readonly declared = new Set<string>();
  private readonly topLevel = new Map<string, Node>();
  private readonly exported = new Map<string, Node>();
  private readonly contextCalls: Array<{ object: string; method: string; line: number }> = [];

  constructor(private readonly program: Node) {}

  public facts(): JavaScriptFacts {
    for (const statement of this.program.body as Node[]) this.topLevelStatement(statement);
    this.visit(this.program, undefined, '', 0, 0);
    const exportedFunctions = new Map<string, ExportedFunction>();
    for (const [name, value] of this.exported) {
      const fn = this.functionOf(value);
      if (fn) exportedFunctions.set(name, fn);
    }
    const commonJsBinding = this.commonJsUses.find((use) => !this.declared.has(use.what.split('.')[0]));
    return { parsed: true, esmSyntax: this.esmSyntax, commonJsBinding, imports: this.imports, exportedFunctions, contextCalls: this.contextCalls };
  }

  /** Records top-level bindings and exports (`exports.x =`, `module.exports = {…}`, `export …`). */
  private topLevelStatement(s: Node): void {
    if (s.type === 'FunctionDeclaration' && s.id) this.topLevel.set(s.id.name, s);
    if (s.type === 'VariableDeclaration') {
      for (const d of s.declarations) if (d.id.type === 'Identifier' && d.init) this.topLevel.set(d.id.name, d.init);
    }
    if (s.type === 'ExportNamedDeclaration') {
      const d = s.declaration;
      if (d?.type === 'FunctionDeclaration' && d.id) { this.exported.set(d.id.name, d); this.topLevel.set(d.id.name, d); }
      if (d?.type === 'VariableDeclaration') {
        for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) { this.exported.set(v.id.name, v.init); this.topLevel.set(v.id.name, v.init); }
      }
      if (!s.source) {
        for (const spec of s.specifiers ?? []) this.exported.set(nameOf(spec.exported), spec.local);
      }
    }
    if (s.type === 'ExportDefaultDeclaration') this.exported.set('default', s.declaration);
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      const { left, right } = s.expression;
      const target = exportTarget(left);
      if (target === '*' && right.type === 'ObjectExpression') {
        for (const p of right.properties) if (p.type === 'Property' && !p.computed) this.exported.set(nameOf(p.key), p.value);
      } else if (target && target !== '*') {
        this.exported.set(target, right);
      }
    }
  }

  /** The function an exported value is, following one identifier to its top-level definition. */
  private functionOf(value: Node | undefined): ExportedFunction | undefined {
    let node = value;
    if (node?.type === 'Identifier') node = this.topLevel.get(node.name);
    if (!node || !['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'].includes(node.type)) return undefined;
    const second = node.params[1];
    return { line: lineOf(node), params: node.params.length, async: !!node.async, contextName: second?.type === 'Identifier' ? second.name : undefined };
  }

  private visit(node: Node, parent: Node | undefined, key: string, functionDepth: number, tryDepth: number): void {
    switch (node.type) {
      case 'ImportDeclaration':
        this.esm(node, 'import declaration');
        this.imports.push({ specifier: String(node.source.value), line: lineOf(node) });
        break;
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        this.esm(node, 'export declaration');
        if (node.source) this.imports.push({ specifier: String(node.source.value), line: lineOf(node) });
        break;
      case 'MetaProperty':
        if (node.meta.name === 'import') this.esm(node, 'import.meta');
        break;
      case 'AwaitExpression':
        if (functionDepth === 0) this.esm(node, 'top-level await');
        break;
      case 'CallExpression':
        this.call(node, tryDepth);
        break;
      case 'Identifier':
        this.identifier(node, parent, key);
        break;
      case 'VariableDeclarator':
        collectNames(node.id, this.declared);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ClassDeclaration':
        if (node.id) this.declared.add(node.id.name);
        for (const p of node.params ?? []) collectNames(p, this.declared);
        break;
      case 'ImportSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        this.declared.add(node.local.name);
        break;
      default:
        break;
    }
    const isFunction = /Function/.test(node.type);
    for (const [childKey, child] of Object.entries(node)) {
      if (childKey === 'loc' || !child || typeof child !== 'object') continue;
      const innerTry = tryDepth + (node.type === 'TryStatement' && childKey === 'block' ? 1 : 0);
      const depth = functionDepth + (isFunction ? 1 : 0);
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c.type === 'string') this.visit(c, node, childKey, depth, innerTry);
      } else if (typeof (child as Node).type === 'string') {
        this.visit(child as Node, node, childKey, depth, innerTry);
      }
    }
  }

  private esm(node: Node, what: string): void {
    if (!this.esmSyntax) this.esmSyntax = { line: lineOf(node), what };
  }

  private call(node: Node, tryDepth: number): void {
    const callee = node.callee;
    if (callee.type === 'Identifier' && callee.name === 'require' && node.arguments.length === 1) {
      const arg = node.arguments[0];
      if (tryDepth === 0 && arg.type === 'Literal' && typeof arg.value === 'string') this.imports.push({ specifier: arg.value, line: lineOf(node) });
    }
    if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && CONTEXT_METHODS.has(callee.property.name)) {
      this.contextCalls.push({ object: callee.object.name, method: callee.property.name, line: lineOf(node) });
    }
  }

  /** A reference to require/module/exports as a value (not a property name, a label or under `typeof`). */
  private identifier(node: Node, parent: Node | undefined, key: string): void {
    if (!COMMONJS_BINDINGS.has(node.name) || !parent) return;
    if (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return;
    if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && key === 'key' && !parent.computed) return;
    if (parent.type === 'UnaryExpression' && parent.operator === 'typeof') return;
    if (/Specifier$|Label|^(Break|Continue)Statement$|VariableDeclarator|Function/.test(parent.type) && key !== 'init' && key !== 'body') return;
    const what = parent.type === 'MemberExpression' && key === 'object' && !parent.computed ? `${node.name}.${parent.property.name}` : node.name;
    this.commonJsUses.push({ line: lineOf(node), what });
  }
}

/** `exports.x` / `module.exports.x` → "x"; `module.exports` → "*"; anything else → undefined. */
function exportTarget(left: Node): string | undefined {
  if (left.type !== 'MemberExpression') return undefined;
  const { object, property } = left;
  const name = left.computed ? (property.type === 'Literal' ? String(property.value) : undefined) : property.name;
  if (object.type === 'Identifier' && object.name === 'module' && name === 'exports') return '*';
  if (object.type === 'Identifier' && object.name === 'exports') return name;
  if (object.type === 'MemberExpression' && exportTarget(object) === '*') return name;
  return undefined;
}

function nameOf(node: Node): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}

function collectNames(pattern: Node | null | undefined, into: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier': into.add(pattern.name); break;
    case 'ObjectPattern': for (const p of pattern.properties) collectNames(p.type === 'RestElement' ? p.argument : p.value, into); break;
    case 'ArrayPattern': for (const e of pattern.elements) collectNames(e, into); break;
    case 'RestElement': collectNames(pattern.argument, into); break;
    case 'AssignmentPattern': collectNames(pattern.left, into); break;
    default: break;
  }
}
