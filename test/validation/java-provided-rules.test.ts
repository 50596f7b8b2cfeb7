// LT104/LT105 for Java functions (class and method read from the class files of a Maven-built package) and LT104
// for custom runtimes (an executable `bootstrap` at the package root).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, aws_lambda as lambda } from 'aws-cdk-lib';
import { newStack, synthError } from './helpers';
import { LambdaFunction } from '../../src';
import { describeWithPrepared } from '../prepared';

/** The synth failure's text, or '' when the app synthesizes. */
const findings = (app: App): string => synthError(app);

describeWithPrepared('java-fixtures', '1', 'Java handlers checked against the class files', (dir) => {
  const java = (handler: string, code: string) => {
    const { app, stack } = newStack('JavaRules');
    new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.JAVA_17, handler, code: lambda.Code.fromAsset(code) });
    return findings(app);
  };

  it('accepts the seeds example, as a folder and as a jar', () => {
    expect(java('example.Hello::myHandler', path.join(dir, 'hello'))).toBe('');
    expect(java('example.Hello::myHandler', path.join(dir, 'hello.jar'))).toBe('');
    expect(java('conformance.Typed', path.join(dir, 'conformance'))).toBe('');
  });

  it('reports a missing class with the classes it did find (LT104)', () => {
    const found = java('example.Helo::myHandler', path.join(dir, 'hello'));
    expect(found).toMatch(/LT104/);
    expect(found).toContain('class example.Helo is not in the package');
    expect(found).toContain('Classes found: example.Hello.');
  });

  it('reports a missing method, and a bare class that is no RequestHandler (LT105)', () => {
    const method = java('example.Hello::handleRequest', path.join(dir, 'hello'));
    expect(method).toMatch(/LT105/);
    expect(method).toContain('myHandler(int, com.amazonaws.services.lambda.runtime.Context)');
    expect(java('example.Hello', path.join(dir, 'hello'))).toContain('does not implement RequestHandler or RequestStreamHandler');
  });
});

describe('custom runtime bootstrap (LT104)', () => {
  let work: string;
  beforeEach(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-provided-rule-'))));
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));
  const provided = () => {
    const { app, stack } = newStack('ProvidedRules');
    new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.PROVIDED_AL2023, handler: 'bootstrap', code: lambda.Code.fromAsset(work) });
    return findings(app);
  };

  it('accepts an executable bootstrap, and names a missing or non-executable one', () => {
    fs.writeFileSync(path.join(work, 'bootstrap'), '#!/bin/sh\n', { mode: 0o755 });
    expect(provided()).toBe('');
    fs.chmodSync(path.join(work, 'bootstrap'), 0o644);
    expect(provided()).toContain('is not executable');
    fs.rmSync(path.join(work, 'bootstrap'));
    fs.writeFileSync(path.join(work, 'main.go'), 'package main\n');
    expect(provided()).toContain('has no `bootstrap` at its root');
  });
});
