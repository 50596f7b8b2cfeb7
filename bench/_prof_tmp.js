process.env.CDK_VALIDATION='false';
const { App, Stack, Duration, aws_lambda: lambda, aws_iam: iam } = require('aws-cdk-lib');
const { LambdaFunction, ExecutionRole } = require('/work/main/lib');
const CODE_DIR = '/work/main/examples/functions/hello';
function run(make) {
  const t0=process.hrtime.bigint(); const app = new App({ outdir: require('fs').mkdtempSync('/tmp/ltp-'), context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'B', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i=0;i<300;i++) make(stack, i);
  app.synth(); return Number(process.hrtime.bigint()-t0)/1e6;
}
const props = (i) => ({ runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(CODE_DIR), memorySize: 256, timeout: Duration.seconds(10), environment: { STAGE: 'bench', INDEX: String(i) } });
const role = (s,i) => new iam.Role(s,'R'+i,{assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com')});
const V = {
  plain: (s,i)=>new lambda.Function(s,'F'+i,props(i)),
  lt: (s,i)=>new LambdaFunction(s,'F'+i,props(i)),
  plainRole: (s,i)=>new lambda.Function(s,'F'+i,{...props(i), role: role(s,i)}),
  ltRole: (s,i)=>new LambdaFunction(s,'F'+i,{...props(i), role: role(s,i)}),
  plainExecRole: (s,i)=>{ const r=new ExecutionRole(s,'R'+i); const f=new lambda.Function(s,'F'+i,{...props(i), role: r}); r.allowLoggingFor(f); },
};
const res={}; for (let k=0;k<8;k++) for (const [n,v] of Object.entries(V)) { const t=run(v); if(k>1) (res[n]??=[]).push(t); }
const med=(a)=>a.sort((x,y)=>x-y)[Math.floor(a.length/2)];
for (const [n,a] of Object.entries(res)) console.log(n.padEnd(14), med(a).toFixed(0));
