process.env.CDK_VALIDATION='false';
const { App, Stack, Duration, aws_lambda: lambda, aws_iam: iam } = require('aws-cdk-lib');
const CODE_DIR = '/work/main/examples/functions/hello';
const app = new App({ outdir: require('fs').mkdtempSync('/tmp/ltp-'), context: { '@aws-cdk/core:stackResourceLimit': 0 } });
const stack = new Stack(app, 'B', { env: { account: '123456789012', region: 'us-east-1' } });
const fns=[]; for (let i=0;i<300;i++) fns.push(new lambda.Function(stack,'F'+i,{ runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(CODE_DIR), memorySize: 256, timeout: Duration.seconds(10), environment: { STAGE: 'bench', INDEX: String(i) } }).node.defaultChild);
for (let k=0;k<3;k++){
let t=process.hrtime.bigint(); for (const f of fns) f._toCloudFormation(); const a=Number(process.hrtime.bigint()-t)/1e6;
t=process.hrtime.bigint(); for (const f of fns) stack.resolve(f._toCloudFormation()); const b=Number(process.hrtime.bigint()-t)/1e6;
t=process.hrtime.bigint(); for (const f of fns) stack.resolve(f.cfnProperties); const c=Number(process.hrtime.bigint()-t)/1e6;
t=process.hrtime.bigint(); for (const f of fns) { stack.resolve(f.runtime); stack.resolve(f.handler); stack.resolve(f.memorySize); stack.resolve(f.timeout); stack.resolve(f.environment); stack.resolve(f.layers); stack.resolve(f.code); stack.resolve(f.role);} const d=Number(process.hrtime.bigint()-t)/1e6;
t=process.hrtime.bigint(); for (const f of fns) { f.runtime; f.handler; f.memorySize; stack.resolve(f.environment); stack.resolve(f.layers); f.code; stack.resolve(f.role);} const e=Number(process.hrtime.bigint()-t)/1e6;
console.log({toCfn:a.toFixed(1), toCfnResolve:b.toFixed(1), resolveProps:c.toFixed(1), resolveEach:d.toFixed(1), selective:e.toFixed(1)});
}
