// Benchmark: CPU time each validation rule adds to one validation pass over 300 functions (the synth bench's Python
// stack, and the same with a Node.js handler), measured by running the pass with and without the rule in alternating
// rounds. Prints a table and writes bench/results/validation-rule-cost.json.
// Usage: node bench/validation-rule-cost.js [functions=300] [rounds=15]   (needs the compiled ../lib)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Stack, Duration, aws_lambda: lambda } = require('aws-cdk-lib');

const LIB = process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib');
const { LAMBDA_TWIN_PACK } = require(path.join(LIB, 'validation', 'pack'));
const { evaluateScope } = require(path.join(LIB, 'validation', 'evaluate'));
const { FindingSink } = require(path.join(LIB, 'validation', 'context'));
const { ValidationPass } = require(path.join(LIB, 'validation', 'pass'));

const FUNCTIONS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 15);
const NEW_RULES = ['nodeCallbackHandler', 'nodeModuleFormat', 'nodeMissingModules', 'pythonMissingImports'];
process.env.CDK_VALIDATION = 'false';

function buildStack(outdir, variant) {
  const app = new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  const code = variant === 'python'
    ? lambda.Code.fromAsset(path.join(__dirname, '..', 'examples', 'functions', 'hello'))
    : lambda.Code.fromAsset(path.join(__dirname, '..', 'examples', 'functions', 'calculator'));
  for (let i = 0; i < FUNCTIONS; i++) {
    new lambda.Function(stack, `Fn${i}`, {
      runtime: variant === 'python' ? lambda.Runtime.PYTHON_3_14 : lambda.Runtime.NODEJS_22_X,
      handler: variant === 'python' ? 'lambda_function.lambda_handler' : 'index.handler',
      code, memorySize: 256, timeout: Duration.seconds(10), environment: { STAGE: 'bench', INDEX: String(i) },
    });
  }
  return stack;
}

/** CPU ms of one validation pass over the stack with the given function rules. */
function passCpu(stack, rules) {
  const saved = LAMBDA_TWIN_PACK.function.slice();
  LAMBDA_TWIN_PACK.function.splice(0, LAMBDA_TWIN_PACK.function.length, ...rules);
  const start = process.cpuUsage();
  evaluateScope(stack, new ValidationPass(), new FindingSink());
  const used = process.cpuUsage(start);
  LAMBDA_TWIN_PACK.function.splice(0, LAMBDA_TWIN_PACK.function.length, ...saved);
  return (used.user + used.system) / 1000;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-rule-bench-'));
const results = {};
try {
  for (const variant of ['python', 'nodejs']) {
    const stack = buildStack(path.join(outdir, variant), variant);
    const all = LAMBDA_TWIN_PACK.function.slice();
    const withoutNew = all.filter((r) => !NEW_RULES.some((n) => r === require(path.join(LIB, 'validation', 'rules', kebab(n)))[n]));
    passCpu(stack, all); passCpu(stack, withoutNew); // warm-up
    const full = [];
    const old = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2) { full.push(passCpu(stack, all)); old.push(passCpu(stack, withoutNew)); } else { old.push(passCpu(stack, withoutNew)); full.push(passCpu(stack, all)); }
    }
    results[variant] = { medianAllRulesMs: median(full), medianWithoutNewRulesMs: median(old), newRulesMs: median(full) - median(old) };
  }
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}

function kebab(name) {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

console.log(`validation pass over ${FUNCTIONS} functions, ${ROUNDS} alternating rounds (node ${process.version}); CPU ms`);
console.log('stack   | all rules | without LT106-LT111 | new rules cost');
console.log('--------|-----------|---------------------|---------------');
for (const [variant, r] of Object.entries(results)) {
  console.log(`${variant.padEnd(7)} | ${r.medianAllRulesMs.toFixed(1).padStart(9)} | ${r.medianWithoutNewRulesMs.toFixed(1).padStart(19)} | ${r.newRulesMs.toFixed(1).padStart(13)}`);
}
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'results', 'validation-rule-cost.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, functions: FUNCTIONS, rounds: ROUNDS, results }, null, 2));
