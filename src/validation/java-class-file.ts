// Reads Java class files without a JVM, for the synth-time checks of Java handlers (LT104/LT105): which classes
// a deployment package holds (at its root, in its lib/*.jar, or in a jar that is the package), and a class's
// name, superclass, interfaces and public methods with their parameter types.
import * as fs from 'fs';
import * as path from 'path';
import { zipFiles } from './zip-entries';

/** One method of a class file. */
export interface JavaMethod {
  readonly name: string;
  /** Parameter types as Java names: `int`, `java.lang.String`, `java.util.Map`, `byte[]`. */
  readonly parameters: readonly string[];
  readonly isPublic: boolean;
  readonly isStatic: boolean;
  readonly isBridge: boolean;
}

/** What the checks need of one class. */
export interface JavaClass {
  /** Binary name with dots: `example.Hello`, `example.Outer$Inner`. */
  readonly name: string;
  readonly superName?: string;
  readonly interfaces: readonly string[];
  readonly methods: readonly JavaMethod[];
}

const ACC_PUBLIC = 0x0001;
const ACC_STATIC = 0x0008;
const ACC_BRIDGE = 0x0040;

/** Parses a class file; throws on anything that is not one. */
export function readClassFile(bytes: Buffer): JavaClass {
  if (bytes.length < 10 || bytes.readUInt32BE(0) !== 0xcafebabe) throw new Error('not a class file (no 0xCAFEBABE magic)');
  let pos = 8;
  const count = bytes.readUInt16BE(pos);
  pos += 2;
  const utf8: (string | undefined)[] = new Array(count);
  const classRefs: (number | undefined)[] = new Array(count);
  for (let i = 1; i < count; i++) {
    const tag = bytes[pos++];
    switch (tag) {
      case 1: { // Utf8 (modified UTF-8; plain UTF-8 decoding is right for names)
        const length = bytes.readUInt16BE(pos);
        utf8[i] = bytes.toString('utf8', pos + 2, pos + 2 + length);
        pos += 2 + length;
        break;
      }
      case 7: classRefs[i] = bytes.readUInt16BE(pos); pos += 2; break; // Class
      case 8: case 16: case 19: case 20: pos += 2; break; // String, MethodType, Module, Package
      case 15: pos += 3; break; // MethodHandle
      case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: pos += 4; break;
      case 5: case 6: pos += 8; i++; break; // Long and Double take two slots
      default: throw new Error(`unknown constant pool tag ${tag} at entry ${i}`);
    }
  }
  const className = (index: number) => {
    const nameIndex = classRefs[index];
    const name = nameIndex !== undefined ? utf8[nameIndex] : undefined;
    return name?.replace(/\//g, '.');
  };
  pos += 2; // access flags
  const thisClass = bytes.readUInt16BE(pos);
  const superClass = bytes.readUInt16BE(pos + 2);
  pos += 4;
  const interfaceCount = bytes.readUInt16BE(pos);
  pos += 2;
  const interfaces: string[] = [];
  for (let i = 0; i < interfaceCount; i++, pos += 2) interfaces.push(className(bytes.readUInt16BE(pos)) ?? '?');
  const skipMembers = () => {
    const n = bytes.readUInt16BE(pos);
    pos += 2;
    const members: { access: number; name: string; descriptor: string }[] = [];
    for (let i = 0; i < n; i++) {
      const access = bytes.readUInt16BE(pos);
      const name = utf8[bytes.readUInt16BE(pos + 2)] ?? '';
      const descriptor = utf8[bytes.readUInt16BE(pos + 4)] ?? '';
      const attributes = bytes.readUInt16BE(pos + 6);
      pos += 8;
      for (let a = 0; a < attributes; a++) pos += 6 + bytes.readUInt32BE(pos + 2);
      members.push({ access, name, descriptor });
    }
    return members;
  };
  skipMembers(); // fields
  const methods = skipMembers().map((m) => ({
    name: m.name,
    parameters: parameterTypes(m.descriptor),
    isPublic: (m.access & ACC_PUBLIC) !== 0, // eslint-disable-line no-bitwise
    isStatic: (m.access & ACC_STATIC) !== 0, // eslint-disable-line no-bitwise
    isBridge: (m.access & ACC_BRIDGE) !== 0, // eslint-disable-line no-bitwise
  }));
  return { name: className(thisClass) ?? '?', superName: superClass ? className(superClass) : undefined, interfaces, methods };
}

/** `(ILjava/lang/String;[B)V` → `['int', 'java.lang.String', 'byte[]']`. */
export function parameterTypes(descriptor: string): string[] {
  const inside = descriptor.slice(1, descriptor.indexOf(')'));
  const out: string[] = [];
  const primitives: Record<string, string> = { B: 'byte', C: 'char', D: 'double', F: 'float', I: 'int', J: 'long', S: 'short', Z: 'boolean' };
  for (let i = 0; i < inside.length;) {
    let dims = 0;
    while (inside[i] === '[') {
      dims++;
      i++;
    }
    let type: string;
    if (inside[i] === 'L') {
      const end = inside.indexOf(';', i);
      type = inside.slice(i + 1, end).replace(/\//g, '.');
      i = end + 1;
    } else {
      type = primitives[inside[i]] ?? inside[i];
      i++;
    }
    out.push(type + '[]'.repeat(dims));
  }
  return out;
}

/** The class files of a package: binary name → bytes on demand. */
export interface JavaClassIndex {
  /** Every class name found (`example.Hello`), in the order Lambda's class loader would search. */
  readonly names: readonly string[];
  read(name: string): JavaClass | undefined;
}

/**
 * The classes a package gives Lambda's Java class loader: files under the package root, then lib/*.jar (sorted).
 * `source` is an asset directory, or a zip/jar file that is the package.
 */
export function javaClassIndex(source: string): JavaClassIndex {
  const root = fs.statSync(source).isDirectory() ? directoryFiles(source) : zipFiles(fs.readFileSync(source));
  const found = new Map<string, () => Buffer>();
  const addFrom = (files: Map<string, () => Buffer>) => {
    for (const [file, read] of files) {
      if (!file.endsWith('.class') || file.startsWith('META-INF/') || file.endsWith('module-info.class')) continue;
      const name = file.slice(0, -'.class'.length).replace(/\//g, '.');
      if (!found.has(name)) found.set(name, read);
    }
  };
  addFrom(root);
  const jars = [...root.keys()].filter((f) => /^lib\/[^/]+\.jar$/.test(f)).sort();
  for (const jar of jars) {
    try {
      addFrom(zipFiles(root.get(jar)!()));
    } catch {
      // an unreadable jar adds no classes; Lambda would fail on it the same way
    }
  }
  const parsed = new Map<string, JavaClass | undefined>();
  return {
    names: [...found.keys()],
    read(name) {
      if (!parsed.has(name)) {
        const read = found.get(name);
        let value: JavaClass | undefined;
        try {
          value = read ? readClassFile(read()) : undefined;
        } catch {
          value = undefined;
        }
        parsed.set(name, value);
      }
      return parsed.get(name);
    },
  };
}

function directoryFiles(root: string): Map<string, () => Buffer> {
  const out = new Map<string, () => Buffer>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, rel);
      else if (entry.isFile()) out.set(rel, () => fs.readFileSync(full));
    }
  };
  walk(root, '');
  return out;
}

/** The Java shapes Lambda accepts for a handler method, by parameter types (the Context type is given). */
export function acceptedHandlerMethod(m: JavaMethod): boolean {
  if (!m.isPublic) return false;
  const p = m.parameters;
  const context = 'com.amazonaws.services.lambda.runtime.Context';
  if (p.length <= 1) return true;
  if (p.length === 2) return p[1] === context || (p[0] === 'java.io.InputStream' && p[1] === 'java.io.OutputStream');
  return p.length === 3 && p[0] === 'java.io.InputStream' && p[1] === 'java.io.OutputStream' && p[2] === context;
}

/** What is wrong with a Java handler string for a package, as LT104 (class) or LT105 (method) reports it. */
export type JavaHandlerProblem =
  | { readonly kind: 'class'; readonly className: string; readonly found: readonly string[] }
  | { readonly kind: 'method'; readonly className: string; readonly methodName?: string; readonly methods: readonly string[] };

const REQUEST_HANDLERS = ['com.amazonaws.services.lambda.runtime.RequestHandler', 'com.amazonaws.services.lambda.runtime.RequestStreamHandler'];

/**
 * Checks `pkg.Class::method` or `pkg.Class` against the package's classes, as Lambda's Java runtime resolves it:
 * the class must exist; a method must be public with an accepted shape, on the class or a superclass; a bare class
 * must implement RequestHandler or RequestStreamHandler. Undefined when the handler resolves (or cannot be told,
 * e.g. a superclass outside the package).
 */
export function javaHandlerProblem(index: JavaClassIndex, handler: string): JavaHandlerProblem | undefined {
  const split = handler.lastIndexOf('::');
  const className = split < 0 ? handler : handler.slice(0, split);
  const methodName = split < 0 ? undefined : handler.slice(split + 2);
  const cls = index.read(className);
  if (!cls) {
    return { kind: 'class', className, found: index.names.filter((n) => !n.includes('$') && !n.startsWith('com.amazonaws.') && !n.startsWith('org.joda.')).slice(0, 10) };
  }
  const chain: JavaClass[] = [];
  for (let c: JavaClass | undefined = cls; c; c = c.superName && c.superName !== 'java.lang.Object' ? index.read(c.superName) : undefined) {
    chain.push(c);
    if (c.superName && c.superName !== 'java.lang.Object' && !index.read(c.superName)) return undefined; // a superclass we cannot see
  }
  const publicMethods = chain.flatMap((c) => c.methods).filter((m) => m.isPublic && m.name !== '<init>' && m.name !== '<clinit>');
  const listed = [...new Set(publicMethods.map((m) => `${m.name}(${m.parameters.join(', ')})`))].slice(0, 10);
  if (methodName === undefined) {
    const interfaces = new Set<string>();
    const addInterfaces = (names: readonly string[]) => {
      for (const name of names) {
        if (interfaces.has(name)) continue;
        interfaces.add(name);
        const iface = index.read(name);
        if (iface) addInterfaces(iface.interfaces);
      }
    };
    for (const c of chain) addInterfaces(c.interfaces);
    if (REQUEST_HANDLERS.some((h) => interfaces.has(h))) return undefined;
    return { kind: 'method', className, methods: listed };
  }
  if (publicMethods.some((m) => m.name === methodName && acceptedHandlerMethod(m))) return undefined;
  return { kind: 'method', className, methodName, methods: listed };
}
