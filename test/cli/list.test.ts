// `lambda-twin list` on a CDK app's cloud assembly shows the construct paths users invoke functions by.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

const root = path.resolve(__dirname, '..', '..');
// The example imports lambda-twin by the name this variable gives; it is put back as it was after the file.
const moduleBefore = process.env.LAMBDA_TWIN_MODULE;
process.env.LAMBDA_TWIN_MODULE = path.join(root, 'src');
afterAll(() => {
  if (moduleBefore === undefined) delete process.env.LAMBDA_TWIN_MODULE;
  else process.env.LAMBDA_TWIN_MODULE = moduleBefore;
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exampleStack } = require('../../examples/app');

describe('lambda-twin list', () => {
  it('lists every function of a cloud assembly with its construct path first', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-list-'));
    try {
      const app = new App({ outdir });
      exampleStack(app, 'ListTest');
      app.synth();
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'lambda-twin'), 'list', '--app', outdir], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toMatch(/^CONSTRUCT\s+LOGICAL ID\s+FUNCTION NAME\s+RUNTIME/);
      expect(lines.find((l) => l.startsWith('ListTest/Hello '))).toMatch(/^ListTest\/Hello\s+Hello[0-9A-F]{8}\s+ListTest-Hello-[0-9a-f]{8}\s+python3\.11\s+lambda_function\.lambda_handler/);
      expect(lines.filter((l) => l.startsWith('ListTest/'))).toHaveLength(5);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
