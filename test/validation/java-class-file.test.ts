// The class-file reader behind the Java handler checks: classes found at a package's root, in its lib/*.jar and
// in a jar that is the package; methods with their parameter types and flags, read without a JVM.
import * as path from 'path';
import { acceptedHandlerMethod, javaClassIndex, javaHandlerProblem, parameterTypes } from '../../src/validation/java-class-file';
import { describeWithPrepared } from '../prepared';

describe('method descriptors', () => {
  it('turns descriptors into Java type names', () => {
    expect(parameterTypes('(ILjava/lang/String;[B[[Ljava/util/Map;)V')).toEqual(['int', 'java.lang.String', 'byte[]', 'java.util.Map[][]']);
    expect(parameterTypes('()Ljava/lang/String;')).toEqual([]);
  });
});

describeWithPrepared('java-fixtures', '1', 'class files of Maven-built packages', (dir) => {
  it('finds example.Hello at the root and Context in lib/aws-lambda-java-core.jar, with myHandler(int, Context)', () => {
    const index = javaClassIndex(path.join(dir, 'hello'));
    expect(index.names).toContain('example.Hello');
    expect(index.names).toContain('com.amazonaws.services.lambda.runtime.Context');
    const hello = index.read('example.Hello')!;
    expect(hello.superName).toBe('java.lang.Object');
    const method = hello.methods.find((m) => m.name === 'myHandler')!;
    expect(method.parameters).toEqual(['int', 'com.amazonaws.services.lambda.runtime.Context']);
    expect(method.isPublic && !method.isStatic).toBe(true);
    expect(acceptedHandlerMethod(method)).toBe(true);
  });

  it('reads the same classes out of a jar that is the package', () => {
    const index = javaClassIndex(path.join(dir, 'hello.jar'));
    expect(index.names[0]).toBe('example.Hello');
    expect(index.read('example.Hello')!.methods.map((m) => m.name)).toEqual(['<init>', 'myHandler']);
  });

  it('sees interfaces and bridge methods (a RequestHandler with concrete types)', () => {
    const typed = javaClassIndex(path.join(dir, 'conformance')).read('conformance.Typed')!;
    expect(typed.interfaces).toEqual(['com.amazonaws.services.lambda.runtime.RequestHandler']);
    const handleRequests = typed.methods.filter((m) => m.name === 'handleRequest');
    expect(handleRequests.map((m) => [m.parameters[0], m.isBridge])).toEqual(expect.arrayContaining([['java.util.Map', false], ['java.lang.Object', true]]));
  });
});

describeWithPrepared('java-fixtures', '1', 'Java handler checks against the class files', (dir) => {
  it('accepts the handlers that resolve and names what is missing otherwise', () => {
    const hello = javaClassIndex(path.join(dir, 'hello'));
    expect(javaHandlerProblem(hello, 'example.Hello::myHandler')).toBeUndefined();
    expect(javaHandlerProblem(hello, 'example.Helo::myHandler')).toEqual({ kind: 'class', className: 'example.Helo', found: ['example.Hello'] });
    expect(javaHandlerProblem(hello, 'example.Hello::handler')).toEqual({
      kind: 'method', className: 'example.Hello', methodName: 'handler', methods: ['myHandler(int, com.amazonaws.services.lambda.runtime.Context)'],
    });
    expect(javaHandlerProblem(hello, 'example.Hello')).toMatchObject({ kind: 'method', className: 'example.Hello' });
    const conformance = javaClassIndex(path.join(dir, 'conformance'));
    expect(javaHandlerProblem(conformance, 'conformance.Typed')).toBeUndefined();
    expect(javaHandlerProblem(conformance, 'conformance.Streams')).toBeUndefined();
    expect(javaHandlerProblem(conformance, 'conformance.Streams::raw')).toBeUndefined();
    expect(javaHandlerProblem(conformance, 'conformance.Handlers::noArgs')).toBeUndefined();
  });
});
