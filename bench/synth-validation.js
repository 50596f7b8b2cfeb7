// Benchmark: synth time of a 300-function stack of LambdaFunctions (validation on) vs the same stack of plain
// aws_lambda.Functions, in alternating runs. Prints a table and writes bench/results/synth-validation.json.
// Usage: node bench/synth-validation.js [functions=300] [rounds=9]   (needs the compiled ../lib)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Stack, Duration, aws_iam: iam, aws_lambda: lambda } = require('aws-cdk-lib');
// LAMBDA_TWIN_LIB points at another build of the library (e.g. a partial tsc build while lib/ cannot be compiled).
const { LambdaFunction } = require(process.env.LAMBDA_TWIN_LIB || '../lib');

const FUNCTIONS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 9);
const CODE_DIR = path.join(__dirname, '..', 'examples', 'functions', 'hello');
// The built-in CloudFormation validator costs the same in both variants; switch it off to measure our overhead alone.
process.env.CDK_VALIDATION = 'false';

/**
 * A plain aws_lambda.Function given the same least-privilege role LambdaFunction builds (logs only, on its own log
 * group): separates what validation costs from what the stricter default role costs.
 */
class PlainWithLeastPrivilegeRole extends lambda.Function {
  constructor(scope, id, props) {
    const functionName = `${id}-fn`;
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: `/aws/lambda/${functionName}:*`, arnFormat: 'arn:aws:service:region:account:resource:resourceName' })],
          })],
        }),
      },
    });
    super(scope, id, { ...props, functionName, role });
  }
}

function synth(FunctionClass) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-bench-'));
  // CPU time of this process (user + system), not wall time: other work on a shared machine does not count.
  const start = process.cpuUsage();
  // 300 functions make 600-900 resources: lift the per-stack resource limit (same for both variants).
  const app = new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i = 0; i < FUNCTIONS; i++) {
    new FunctionClass(stack, `Fn${i}`, {
      runtime: lambda.Runtime.PYTHON_3_14,
      handler: 'lambda_function.lambda_handler',
      code: lambda.Code.fromAsset(CODE_DIR),
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { STAGE: 'bench', INDEX: String(i) },
    });
  }
  app.synth();
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

synth(lambda.Function); // warm-up: module loading and JIT, not measured
synth(LambdaFunction);
synth(PlainWithLeastPrivilegeRole);

const rows = [];
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which variant goes first so drift (GC, caches, thermal) does not favour one.
  const order = round % 2 ? ['plain', 'plainRole', 'validated'] : ['validated', 'plainRole', 'plain'];
  const classes = { plain: lambda.Function, plainRole: PlainWithLeastPrivilegeRole, validated: LambdaFunction };
  const row = { round };
  for (const variant of order) row[variant] = synth(classes[variant]);
  row.ratio = row.validated / row.plain;
  row.ratioSameRole = row.validated / row.plainRole;
  rows.push(row);
}

const plain = median(rows.map((r) => r.plain));
const plainRole = median(rows.map((r) => r.plainRole));
const validated = median(rows.map((r) => r.validated));
const ratio = validated / plain;
// On a shared machine the minimum is the least noisy estimate of each variant's cost.
const bestPlain = Math.min(...rows.map((r) => r.plain));
const bestPlainRole = Math.min(...rows.map((r) => r.plainRole));
const bestValidated = Math.min(...rows.map((r) => r.validated));
const bestRatio = bestValidated / bestPlain;
console.log(`synth of ${FUNCTIONS} functions, ${ROUNDS} alternating rounds (node ${process.version})`);
console.log('CPU ms (user + system) per synth');
console.log('round | plain ms | plain+same role ms | validated ms | vs plain | vs plain+same role');
console.log('------|----------|--------------------|--------------|----------|-------------------');
const line = (label, p, pr, v) => `${label} | ${p.toFixed(0).padStart(8)} | ${pr.toFixed(0).padStart(18)} | ${v.toFixed(0).padStart(12)} | ${(v / p).toFixed(3).padStart(8)} | ${(v / pr).toFixed(3)}`;
for (const r of rows) console.log(line(String(r.round).padStart(5), r.plain, r.plainRole, r.validated));
console.log(line('median', plain, plainRole, validated) + '  (target <= 1.10 vs plain)');
console.log(line('best  ', bestPlain, bestPlainRole, bestValidated));

const results = path.join(__dirname, 'results');
fs.mkdirSync(results, { recursive: true });
fs.writeFileSync(path.join(results, 'synth-validation.json'), JSON.stringify({
  date: new Date().toISOString(), node: process.version, functions: FUNCTIONS, rounds: ROUNDS,
  medianPlainMs: plain, medianPlainSameRoleMs: plainRole, medianValidatedMs: validated, ratio, ratioSameRole: validated / plainRole, bestPlainMs: bestPlain, bestValidatedMs: bestValidated, bestRatio, target: 1.1, rows,
}, null, 2));
