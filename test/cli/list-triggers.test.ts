// `lambda-twin list` on the CDK triggers example shows every trigger of each function: the S3 notification, the
// SQS event source mapping (the poll sources) and the hourly rule.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

const root = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { triggersStack } = require('../../examples/triggers-app');

jest.setTimeout(120_000);

describe('lambda-twin list with triggers', () => {
  it('lists the SQS mapping on Worker next to the S3 and schedule triggers', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-list-triggers-'));
    try {
      const app = new App({ outdir });
      triggersStack(app, 'ListTriggers');
      app.synth();
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'lambda-twin'), 'list', '--app', outdir], {
        encoding: 'utf8', env: { ...process.env, LAMBDA_TWIN_MODULE: path.join(root, 'src') },
      });
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      const triggersOf = (logicalIdPrefix: string) => {
        const lines = r.stdout.split('\n');
        const start = lines.findIndex((l) => l.startsWith(logicalIdPrefix) && l.includes('('));
        expect(start).toBeGreaterThanOrEqual(0);
        const block: string[] = [];
        for (const l of lines.slice(start + 1)) {
          if (l.trim() === '' || !l.startsWith(' ')) break;
          block.push(l.trim());
        }
        return block;
      };
      expect(triggersOf('Worker')).toContainEqual(expect.stringMatching(/^SQS queue ListTriggers-Jobs[0-9A-Z]+ \(batch 10\)$/));
      expect(triggersOf('Ingest')).toContainEqual(expect.stringMatching(/^S3 bucket .*uploads.*: s3:ObjectCreated:\* \(prefix uploads\/\)$/));
      expect(triggersOf('Reporter')).toContainEqual(expect.stringMatching(/^EventBridge rule .*: schedule rate\(1 hour\)$/));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
