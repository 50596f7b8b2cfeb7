// The platform facts module: one family per identifier, successors, and what runtimes provide.
import { FAMILIES, RUNTIMES, nodeRuntimeProvides, runtimeFamily, runtimeInfo } from '../../src/model/platform';

describe('platform facts', () => {
  test('every identifier appears once, and each successor is a current runtime of the same family', () => {
    const ids = RUNTIMES.map((r) => r.identifier);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RUNTIMES.filter((x) => x.successor)) {
      const successor = runtimeInfo(r.successor)!;
      expect([r.identifier, successor.successor]).toEqual([r.identifier, undefined]);
      expect(successor.family === r.family || r.family === 'go').toBe(true);
    }
  });

  test('runtimeFamily: the catalog first, then the prefix of an identifier Lambda may add later', () => {
    expect(runtimeFamily('go1.x')).toBe('go');
    expect(runtimeFamily('provided.al2023')).toBe('provided');
    expect(runtimeFamily('dotnetcore3.1')).toBe('dotnet');
    expect(runtimeFamily('python3.99')).toBe('python');
    expect(runtimeFamily('cobol1')).toBeUndefined();
    expect(runtimeFamily(undefined)).toBeUndefined();
    expect(runtimeInfo('nodejs22.x')?.version).toBe('22');
  });

  test('inline code only on Node.js and Python, written to index.js / index.py', () => {
    const inline = Object.entries(FAMILIES).filter(([, f]) => f.inlineFileName).map(([name, f]) => `${name}:${f.inlineFileName}`);
    expect(inline).toEqual(['python:index.py', 'nodejs:index.js']);
  });

  test('Node.js runtimes provide the AWS SDK of their generation, and cfn-response only to inline code', () => {
    expect(nodeRuntimeProvides('nodejs20.x', '@aws-sdk/client-s3', false)).toBe(true);
    expect(nodeRuntimeProvides('nodejs20.x', 'aws-sdk', false)).toBe(false);
    expect(nodeRuntimeProvides('nodejs16.x', 'aws-sdk', false)).toBe(true);
    expect(nodeRuntimeProvides('nodejs16.x', '@aws-sdk/client-s3', false)).toBe(false);
    expect(nodeRuntimeProvides('nodejs20.x', 'cfn-response', true)).toBe(true);
    expect(nodeRuntimeProvides('nodejs20.x', 'cfn-response', false)).toBe(false);
    expect(nodeRuntimeProvides('nodejs20.x', 'pg', false)).toBe(false);
  });
});
