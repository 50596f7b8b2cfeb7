// The triggers example: an upload to a bucket runs Ingest (S3 notification), whose result goes to the Jobs queue
// (its on-success destination), which runs Worker (an SQS event source); Reporter runs every hour (an EventBridge
// schedule). `lambda-twin start --app cdk.out.triggers` runs it in real time; the demo drives it with one-shot verbs.
const path = require('path');
const {
  Duration, Stack, aws_events: events, aws_events_targets: targets, aws_lambda: lambda,
  aws_lambda_destinations: destinations, aws_lambda_event_sources: sources, aws_s3: s3, aws_s3_notifications: s3n, aws_sqs: sqs,
} = require('aws-cdk-lib');

function triggersStack(app, id) {
  const stack = new Stack(app, id);
  const code = lambda.Code.fromAsset(path.join(__dirname, 'functions', 'triggers'));
  const fn = (name, handler, props = {}) => new lambda.Function(stack, name, {
    runtime: lambda.Runtime.PYTHON_3_12, handler: `handlers.${handler}`, code, timeout: Duration.seconds(10), ...props,
  });

  const jobs = new sqs.Queue(stack, 'Jobs', { visibilityTimeout: Duration.seconds(30) });
  const ingest = fn('Ingest', 'ingest', { onSuccess: new destinations.SqsDestination(jobs) });
  const uploads = new s3.Bucket(stack, 'Uploads');
  uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(ingest), { prefix: 'uploads/' });

  const worker = fn('Worker', 'work');
  worker.addEventSource(new sources.SqsEventSource(jobs, { batchSize: 10 }));

  const reporter = fn('Reporter', 'report');
  new events.Rule(stack, 'Hourly', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(reporter)] });
  return stack;
}

module.exports = { triggersStack };

if (require.main === module) {
  const { App } = require('aws-cdk-lib');
  const app = new App({ outdir: process.env.CDK_OUTDIR || path.join(__dirname, 'cdk.out.triggers') });
  triggersStack(app, 'LambdaTwinTriggers');
  app.synth();
}
