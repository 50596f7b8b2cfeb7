// The push-source loader on templates with mistakes and with what it does not deliver: each is said, with where.
import { loadCloudFormationApp } from '../../src/load/template-loader';

const fn = { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'f', Code: { ZipFile: 'x' }, Handler: 'index.handler', Runtime: 'python3.12', Role: 'r' } };
const load = (resources: Record<string, any>) => loadCloudFormationApp({ Resources: { F: fn, ...resources } }, { stackName: 'S', baseDir: '/tmp' });

describe('the push-source loader', () => {
  it('reads a CDK Custom::S3BucketNotifications into bucket notifications with events and filters', () => {
    const { triggers } = load({
      B: { Type: 'AWS::S3::Bucket' },
      N: {
        Type: 'Custom::S3BucketNotifications',
        Properties: {
          BucketName: { Ref: 'B' },
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [{
              Events: ['s3:ObjectCreated:*'],
              LambdaFunctionArn: { 'Fn::GetAtt': ['F', 'Arn'] },
              Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.png' }, { Name: 'prefix', Value: 'in/' }] } },
            }],
            QueueConfigurations: [{ Events: ['s3:ObjectCreated:*'], QueueArn: 'arn:aws:sqs:us-east-1:123456789012:q' }],
          },
        },
      },
    });
    expect(triggers.bucketNotifications).toEqual([expect.objectContaining({
      bucketName: 's-b',
      bucketLogicalId: 'B',
      events: ['s3:ObjectCreated:*'],
      prefix: 'in/',
      suffix: '.png',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      function: expect.objectContaining({ logicalId: 'F' }),
    })]);
    expect(triggers.pushWarnings).toEqual([
      'Resources.N.Properties.NotificationConfiguration.QueueConfigurations in S: not emulated; the twin delivers bucket notifications to Lambda functions only',
    ]);
  });

  it('says which resource it could not read and why, and keeps the others', () => {
    const { triggers } = load({
      Bad: { Type: 'AWS::S3::Bucket', Properties: { NotificationConfiguration: { LambdaConfigurations: [{ Event: 'ObjectCreated', Function: { 'Fn::GetAtt': ['F', 'Arn'] } }] } } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [] } },
      Topic: { Type: 'AWS::SNS::Topic' },
    });
    expect(triggers.topics.map((t) => t.arn)).toEqual(['arn:aws:sns:us-east-1:123456789012:S-Topic']);
    expect(triggers.pushWarnings).toEqual([
      expect.stringMatching(/^Resources\.Bad \(AWS::S3::Bucket\) in S: .*events must be a list of S3 event types such as s3:ObjectCreated:\*, got \["ObjectCreated"\]/),
      'Resources.Rule (AWS::Events::Rule) in S: it has neither EventPattern nor ScheduleExpression; the twin does not deliver its events',
    ]);
  });

  it('counts the push resources as modelled, and keeps what it does not emulate in the function\'s unsupported list', () => {
    const { functions } = load({
      T: { Type: 'AWS::SNS::Topic' },
      S: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: { Ref: 'T' }, Endpoint: { 'Fn::GetAtt': ['F', 'Arn'] } } },
      Mq: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'F' }, EventSourceArn: 'arn:aws:mq:us-east-1:123456789012:broker:b:id' } },
      Iot: { Type: 'AWS::IoT::TopicRule', Properties: { TopicRulePayload: { Actions: [{ Lambda: { FunctionArn: { 'Fn::GetAtt': ['F', 'Arn'] } } }] } } },
    });
    expect(functions[0].unsupported.filter((u) => u.startsWith('Resources.'))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Resources\.Iot \(AWS::IoT::TopicRule\): not emulated/),
    ]));
    expect(functions[0].unsupported.join('\n')).not.toContain('Resources.S ');
  });
});
