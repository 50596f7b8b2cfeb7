process.env.CDK_VALIDATION='false';
const { App, Stack, Duration, aws_lambda: lambda, aws_iam: iam } = require('aws-cdk-lib');
const { LambdaFunction } = require('/work/main/lib');
const CODE_DIR = '/work/main/examples/functions/hello';
function run(make) {
  const t0=Date.now(); const app = new App({ outdir: require('fs').mkdtempSync('/tmp/ltp-'), context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'B', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i=0;i<300;i++) make(stack, i);
  app.synth(); return Date.now()-t0;
}
const props = (i) => ({ runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(CODE_DIR), memorySize: 256, timeout: Duration.seconds(10), environment: { STAGE: 'bench', INDEX: String(i) } });
const role = (s,i) => new iam.Role(s,'R'+i,{assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com')});
const mode = process.argv[2];
const make = mode === 'lt' ? (s,i)=>new LambdaFunction(s,'F'+i,props(i)) : mode === 'inlineRaw' ? (s,i)=>{ const r=role(s,i); r.node.defaultChild.policies=[{policyName:'logs', policyDocument:{Version:'2012-10-17', Statement:[{Effect:'Allow', Action:['logs:CreateLogGroup','logs:CreateLogStream','logs:PutLogEvents'], Resource: s.formatArn({service:'logs',resource:'log-group',resourceName:`/aws/lambda/fn-${i}:*`, arnFormat: 'arn:aws:service:region:account:resource:resourceName'})}]}}]; new lambda.Function(s,'F'+i,{...props(i), role:r}); } : (s,i)=>new lambda.Function(s,'F'+i,props(i));
let t=0; for (let k=0;k<6;k++){ const x=run(make); if(k>0) t+=x; } console.log(mode, (t/5).toFixed(0));
