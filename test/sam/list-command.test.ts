// `lambda-twin list`: the resolved configuration of every function, as a table or JSON, with --env-vars and
// --parameter-overrides applied.
import * as path from 'path';
import { Command } from 'commander';
import { registerListCommand } from '../../src/cli/commands/list';

const APP_DIR = path.join(__dirname, '..', 'fixtures', 'sam', 'app');

async function runList(args: string[]): Promise<string> {
  const program = new Command('lambda-twin').exitOverride();
  registerListCommand(program);
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['list', ...args], { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return chunks.join('');
}

describe('lambda-twin list', () => {
  const template = path.join(APP_DIR, 'template.yaml');

  it('prints JSON with the resolved configuration, env-vars overrides and parameter overrides applied', async () => {
    const out = JSON.parse(await runList([
      '--template', template, '--json', '--env-vars', path.join(APP_DIR, 'env.json'), '--parameter-overrides', 'Stage=qa', 'LogLevel=DEBUG',
    ]));
    expect(out.map((f: any) => f.logicalId)).toEqual(['Greeter', 'Calculator']);
    expect(out[0]).toMatchObject({
      functionName: 'template-greeter-qa',
      runtime: 'python3.11',
      handler: 'app.handler',
      memorySize: 512,
      timeout: 10,
      architectures: ['x86_64'],
      layers: ['SharedLayer'],
      codePath: path.join(APP_DIR, 'src', 'greeter'),
    });
    expect(out[0].environment).toMatchObject({ STAGE: 'qa', LOG_LEVEL: 'DEBUG', EXTRA_SETTING: 'for-everyone' });
    expect(out[1].environment).toEqual({ STAGE: 'qa', LOG_LEVEL: 'DEBUG', SHARED: 'from-env-file', EXTRA_SETTING: 'only-for-the-calculator' });
  });

  it('prints a table with one row per function, then environments and warnings', async () => {
    const out = await runList(['--template', template]);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^LOGICAL ID\s+FUNCTION NAME\s+RUNTIME\s+HANDLER\s+MEMORY\s+TIMEOUT\s+ARCH\s+LAYERS\s+CODE$/);
    expect(lines[2]).toMatch(/^Greeter\s+template-greeter-dev\s+python3\.11\s+app\.handler\s+512 MB\s+10 s\s+x86_64\s+SharedLayer\s+\S+src\/greeter$/);
    expect(lines[3]).toMatch(/^Calculator\s+template-Calculator\s+nodejs20\.x\s+index\.handler\s+256 MB\s+30 s\s+arm64\s+SharedLayer, arn:aws:lambda:\S+remote-tools:3\s+\S+calculator\.zip$/);
    expect(out).toContain('\nGreeter (template-greeter-dev)\n  Environment:\n    STAGE=dev\n');
    expect(out).toMatch(/Calculator \(template-Calculator\)\n {2}Environment:\n(.*\n)* {2}Warnings:\n {4}Layer arn:aws:lambda:\S+ of Calculator is not in this template/);
  });

  it('fails with a clear message for a template that does not exist', async () => {
    await expect(runList(['--template', path.join(APP_DIR, 'nope.yaml')])).rejects.toThrow(/Template .*nope\.yaml does not exist/);
  });
});
