// The README's quick start and the complete files of the guides, run as written in a scratch app outside the
// repository with the packed package installed, so the documentation cannot rot. A complete file is a code block
// whose first line names it (`// app.js`, `# hello/lambda_function.py`); the quick start's `sh` blocks run line
// by line, and a `# output` comment under a command is the output it must print. TypeScript files are transpiled
// to JavaScript (the scratch app has jest, not ts-jest); `npm install lambda-twin` installs the packed tarball.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { npm, packInto, repoVersion, root, sh } from './scratch-app';

interface Block {
  readonly lang: string;
  readonly lines: string[];
}

/** The fenced code blocks between the heading `from` and the next heading of the same level. */
function blocksOf(markdown: string, from?: string): Block[] {
  let text = markdown;
  if (from) {
    const start = text.indexOf(`\n${from}\n`);
    if (start < 0) throw new Error(`no heading "${from}"`);
    const level = /^#+/.exec(from)![0];
    const rest = text.slice(start + from.length + 2);
    const end = rest.search(new RegExp(`\\n${level} `));
    text = end < 0 ? rest : rest.slice(0, end);
  }
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], lines: m[2].replace(/\n$/, '').split('\n') }));
}

/** The file a block is, from its first line (`// path` or `# path`), or undefined for a fragment. */
function fileOf(block: Block): string | undefined {
  return /^(?:\/\/|#) ([\w./-]+\.(?:js|ts|py|rb|json))\s*(?:\(.*\))?$/.exec(block.lines[0])?.[1];
}

/** Writes a complete file into the app (a TypeScript test as its JavaScript). Returns the written path. */
function writeFile(app: string, block: Block): string {
  const name = fileOf(block)!;
  let content = block.lines.join('\n') + '\n';
  let target = name;
  if (name.endsWith('.ts')) {
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
    content = ts.transpileModule(content, { compilerOptions }).outputText;
    target = name.replace(/\.ts$/, '.js');
  }
  fs.mkdirSync(path.dirname(path.join(app, target)), { recursive: true });
  fs.writeFileSync(path.join(app, target), content);
  return target;
}

/** A quick-start command, with `npm install` taking the packed package and the repository's CDK versions. */
function asRun(command: string, tarball: string): string {
  if (!/^npm (install|i) /.test(command)) return command;
  const pinned: Record<string, string> = {
    'lambda-twin': tarball,
    'aws-cdk-lib': `aws-cdk-lib@${repoVersion('aws-cdk-lib')}`,
    'constructs': `constructs@${repoVersion('constructs')}`,
    'aws-cdk': 'aws-cdk@2',
    'jest': `jest@${repoVersion('jest')}`,
  };
  return command.split(' ').map((word) => pinned[word] ?? word).join(' ') + ' --prefer-offline --no-package-lock';
}

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const testingGuide = fs.readFileSync(path.join(root, 'docs', 'testing.md'), 'utf8');

describe('the documentation, run as written in a scratch app', () => {
  let scratch: string | undefined;
  let tarball: string;
  let app: string;
  const ran: string[] = [];

  beforeAll(() => {
    const packed = packInto('lambda-twin-docs-');
    scratch = packed.scratch;
    tarball = packed.tarball;
    app = path.join(scratch, 'app');
    fs.mkdirSync(app);
  }, 60_000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("runs the README's quick start: install, files, cdk synth, invoke with the output it shows", () => {
    const blocks = blocksOf(readme, '## Quick start (30 seconds)');
    expect(blocks.filter((b) => b.lang === 'sh').length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      if (block.lang === 'sh') {
        block.lines.forEach((line, i) => {
          const command = line.replace(/\s+#.*$/, '').trim();
          if (!command || command.startsWith('#')) return;
          const out = sh('bash', ['-c', asRun(command, tarball)], app);
          ran.push(command);
          const shown = /^#\s*(.*?)(?:\s{2,}\(.*\))?$/.exec(block.lines[i + 1] ?? '')?.[1];
          if (shown) expect(`${command} -> ${out.trim()}`).toBe(`${command} -> ${shown}`);
        });
      } else if (fileOf(block) && !fileOf(block)!.includes('.test.')) {
        writeFile(app, block);
      }
    }
    expect(ran).toEqual(expect.arrayContaining(['npx cdk synth']));
    expect(fs.existsSync(path.join(app, 'cdk.out', 'MyStack.template.json'))).toBe(true);
  }, 600_000);

  it("passes the README's jest snippet and the testing guide's complete test files", () => {
    expect(ran.length).toBeGreaterThan(0); // the quick start installed the app
    sh(npm, ['install', '--save-dev', `jest@${repoVersion('jest')}`, '--prefer-offline', '--no-package-lock'], app);
    const tests: string[] = [];
    for (const block of [...blocksOf(readme, '## Quick start (30 seconds)'), ...blocksOf(testingGuide)]) {
      const file = fileOf(block);
      if (!file) continue;
      const written = writeFile(app, block);
      if (written.includes('.test.')) tests.push(written);
    }
    expect(tests).toEqual(expect.arrayContaining(['hello.test.js', 'test/greeter.test.js', 'test/calculator.test.js']));
    // sh throws (with jest's output) when a test fails.
    sh(path.join(app, 'node_modules', '.bin', 'jest'), ['--ci', '--cacheDirectory', path.join(scratch!, 'jest-cache'), ...tests], app, { CDK_VALIDATION: 'false' });
  }, 600_000);
});
