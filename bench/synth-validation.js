// Benchmark: synth time of a 300-function stack of LambdaFunctions (validation on) vs the same stack of plain
// aws_lambda.Functions, in alternating runs. Prints a table and writes bench/results/synth-validation.json.
// Usage: node bench/synth-validation.js [functions=300] [rounds=9]   (needs the compiled ../lib)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Stack, Duration, aws_lambda: lambda } = require('aws-cdk-lib');
// LAMBDA_TWIN_LIB points at another build of the library (e.g. a partial tsc build while lib/ cannot be compiled).
const { LambdaFunction } = require(process.env.LAMBDA_TWIN_LIB || '../lib');

const FUNCTIONS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 9);
const CODE_DIR = path.join(__dirname, '..', 'examples', 'functions', 'hello');
// The built-in CloudFormation validator costs the same in both variants; switch it off to measure our overhead alone.
process.env.CDK_VALIDATION = 'false';

function synth(FunctionClass) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-bench-'));
  const start = process.hrtime.bigint();
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
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
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

const rows = [];
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which variant goes first so drift (GC, caches, thermal) does not favour one.
  const order = round % 2 ? ['plain', 'validated'] : ['validated', 'plain'];
  const row = { round };
  for (const variant of order) row[variant] = synth(variant === 'plain' ? lambda.Function : LambdaFunction);
  row.ratio = row.validated / row.plain;
  rows.push(row);
}

const plain = median(rows.map((r) => r.plain));
const validated = median(rows.map((r) => r.validated));
const ratio = validated / plain;
// On a shared machine the minimum is the least noisy estimate of each variant's cost.
const bestPlain = Math.min(...rows.map((r) => r.plain));
const bestValidated = Math.min(...rows.map((r) => r.validated));
const bestRatio = bestValidated / bestPlain;
console.log(`synth of ${FUNCTIONS} functions, ${ROUNDS} alternating rounds (node ${process.version})`);
console.log('round | plain ms | validated ms | ratio');
console.log('------|----------|--------------|------');
for (const r of rows) console.log(`${String(r.round).padStart(5)} | ${r.plain.toFixed(0).padStart(8)} | ${r.validated.toFixed(0).padStart(12)} | ${r.ratio.toFixed(3)}`);
console.log(`median| ${plain.toFixed(0).padStart(8)} | ${validated.toFixed(0).padStart(12)} | ${ratio.toFixed(3)}  (target <= 1.10)`);
console.log(`best  | ${bestPlain.toFixed(0).padStart(8)} | ${bestValidated.toFixed(0).padStart(12)} | ${bestRatio.toFixed(3)}`);

const results = path.join(__dirname, 'results');
fs.mkdirSync(results, { recursive: true });
fs.writeFileSync(path.join(results, 'synth-validation.json'), JSON.stringify({
  date: new Date().toISOString(), node: process.version, functions: FUNCTIONS, rounds: ROUNDS,
  medianPlainMs: plain, medianValidatedMs: validated, ratio, bestPlainMs: bestPlain, bestValidatedMs: bestValidated, bestRatio, target: 1.1, rows,
}, null, 2));
