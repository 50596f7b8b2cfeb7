// Reads queues, streams and event source mappings of one template (issue 14, queues work): `AWS::SQS::Queue`,
// `AWS::Kinesis::Stream`, `AWS::DynamoDB::Table` with a StreamSpecification and `AWS::Lambda::EventSourceMapping`
// whose source is one of them. CDK (`SqsEventSource`, `KinesisEventSource`, `DynamoEventSource`) and SAM (`Events`
// of type SQS / Kinesis / DynamoDB, expanded by expand-sam.ts) give the same resources.
import { EventSourceMappingModel, PollResourceOrigin, PollSourcesModel, QueueModel, StreamModel } from '../../model/triggers-poll';
import { physicalId, resolveValue, ResolveContext, Unresolved } from '../intrinsics';
import { functionOfReference, LoadedTemplate } from '../resource-context';

/** A DynamoDB stream label: CloudFormation gives the creation time; locally it is fixed. */
export const DYNAMODB_STREAM_LABEL = '1970-01-01T00:00:00.000';

/** Per-source BatchSize default and maximum (Lambda's CreateEventSourceMapping limits). */
const BATCH_LIMITS = {
  sqs: { default: 10, max: 10_000 },
  sqsFifo: { default: 10, max: 10 },
  kinesis: { default: 100, max: 10_000 },
  dynamodb: { default: 100, max: 10_000 },
};

const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

export function loadPollSources(loaded: LoadedTemplate): PollSourcesModel {
  const ctx = loaded.ctx;
  const resources: Record<string, any> = loaded.template.Resources ?? {};
  const source = loaded.options.source ?? loaded.options.stackName;
  const queues: QueueModel[] = [];
  const streams: StreamModel[] = [];
  const warnings: string[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::SQS::Queue') {queues.push(readQueue(id, r, ctx, source));} else if (r?.Type === 'AWS::Kinesis::Stream') {streams.push(readKinesis(id, r, ctx, source));} else if (r?.Type === 'AWS::DynamoDB::Table' && r.Properties?.StreamSpecification !== undefined) {
      streams.push(readDynamo(id, r, ctx, source));
    }
  }
  // Redrive targets given as GetAtt resolve to this template's queue ARNs already; nothing more to link here.
  const mappings: EventSourceMappingModel[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const where = `${source}: Resources.${id} (AWS::Lambda::EventSourceMapping)`;
    const target = mappingSource(r, ctx);
    if (target.reason !== undefined) continue; // listed in the function's `unsupported` by the template loader
    const p = r.Properties ?? {};
    const fn = functionOfReference(loaded, p.FunctionName);
    if (!fn) {
      warnings.push(`${where}: FunctionName ${JSON.stringify(p.FunctionName)} is not a function of this template; the mapping is not polled`);
      continue;
    }
    const queue = queues.find((q) => q.arn === target.arn);
    mappings.push(readMapping(id, r, ctx, where, {
      stackName: fn.stackName, logicalId: fn.logicalId, qualifier: qualifierOf(p.FunctionName, resources, ctx),
    }, target.arn!, target.kind!, queue?.fifo === true || /\.fifo$/.test(target.arn!)));
  }
  const pathOf = loaded.options.constructPathOf;
  return {
    queues: queues.map((q) => withConstructPath(q, pathOf)),
    streams: streams.map((x) => withConstructPath(x, pathOf)),
    eventSourceMappings: mappings.map((m) => withConstructPath(m, pathOf)),
    pollWarnings: warnings,
  };
}

/**
 * A resource without `aws:cdk:path` metadata (an app synthesized with metadata off) takes its construct path from
 * the assembly's tree (the loader's `constructPathOf`), so it can still be named by construct id.
 */
function withConstructPath<T extends PollResourceOrigin>(item: T, pathOf: ((logicalId: string) => string | undefined) | undefined): T {
  if (item.constructPath !== undefined || !pathOf) return item;
  const constructPath = pathOf(item.logicalId);
  if (constructPath === undefined) return item;
  const parts = constructPath.split('/');
  const constructId = parts[parts.length - 1] === 'Resource' && parts.length > 1 ? parts[parts.length - 2] : parts[parts.length - 1];
  return { ...item, constructPath, constructId };
}

/**
 * What an event source mapping polls: the ARN and kind when the twin emulates it, or why not (an MSK, MQ, DocumentDB
 * or self-managed Kafka source, or a queue/stream that is not in the template). The template loader lists the reason
 * in the function's `unsupported`.
 */
export function mappingSource(resource: any, ctx: ResolveContext): { arn?: string; kind?: 'sqs' | 'kinesis' | 'dynamodb'; reason?: string } {
  const p = resource?.Properties ?? {};
  if (p.SelfManagedEventSource !== undefined || p.SelfManagedKafkaEventSourceConfig !== undefined) {
    return { reason: 'a self-managed Kafka source is not emulated; invoke the function with a Kafka event instead' };
  }
  if (p.EventSourceArn === undefined) return { reason: 'it has no EventSourceArn; nothing is polled' };
  const raw = p.EventSourceArn;
  const getAtt = Array.isArray(raw?.['Fn::GetAtt']) ? raw['Fn::GetAtt'] : typeof raw?.['Fn::GetAtt'] === 'string' ? String(raw['Fn::GetAtt']).split('.') : undefined;
  if (getAtt) {
    const [logicalId, attribute] = getAtt;
    const target = ctx.resources[logicalId];
    if (target?.Type === 'AWS::SQS::Queue' && attribute === 'Arn') return { arn: queueArn(logicalId, target, ctx), kind: 'sqs' };
    if (target?.Type === 'AWS::Kinesis::Stream' && attribute === 'Arn') return { arn: kinesisArn(logicalId, target, ctx), kind: 'kinesis' };
    if (target?.Type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn') {
      if (target.Properties?.StreamSpecification === undefined) {
        return { reason: `its source, table ${logicalId}, has no StreamSpecification (no stream to poll); add StreamSpecification.StreamViewType` };
      }
      return { arn: dynamoStreamArn(logicalId, target, ctx), kind: 'dynamodb' };
    }
    if (target?.Type === 'AWS::Kinesis::StreamConsumer') {
      return { reason: `its source is the Kinesis stream consumer ${logicalId} (enhanced fan-out), which is not emulated; map the stream itself` };
    }
    if (target) return { reason: `its source, ${logicalId} (${target.Type}), is not emulated (the twin polls SQS queues, Kinesis streams and DynamoDB streams)` };
  }
  const arn = resolveValue(raw, ctx);
  if (arn instanceof Unresolved || typeof arn !== 'string') {
    return { reason: `its EventSourceArn cannot be resolved locally (${arn instanceof Unresolved ? arn.reason : JSON.stringify(arn)})` };
  }
  const service = /^arn:aws[a-zA-Z-]*:([a-z0-9-]+):/.exec(arn)?.[1];
  const kind = service === 'sqs' ? 'sqs' : service === 'kinesis' ? 'kinesis' : service === 'dynamodb' ? 'dynamodb' : undefined;
  if (!kind) {
    const what = service === 'kafka' ? 'an Amazon MSK cluster' : service === 'mq' ? 'an Amazon MQ broker'
      : service === 'rds' || service === 'docdb' ? 'a DocumentDB change stream' : `a ${service ?? 'non-ARN'} source`;
    return { reason: `its source ${arn} is ${what}, which is not emulated; invoke the function with such an event instead` };
  }
  const inTemplate = Object.entries(ctx.resources).some(([id, r]) => (kind === 'sqs' && r?.Type === 'AWS::SQS::Queue' && queueArn(id, r, ctx) === arn)
    || (kind === 'kinesis' && r?.Type === 'AWS::Kinesis::Stream' && kinesisArn(id, r, ctx) === arn)
    || (kind === 'dynamodb' && r?.Type === 'AWS::DynamoDB::Table' && dynamoStreamArn(id, r, ctx) === arn));
  if (!inTemplate) {
    return { reason: `its source ${arn} is not a queue or stream of this template, so nothing the twin emulates feeds it` };
  }
  return { arn, kind };
}

function origin(id: string, r: any, ctx: ResolveContext): PollResourceOrigin {
  const constructPath = typeof r?.Metadata?.['aws:cdk:path'] === 'string' ? r.Metadata['aws:cdk:path'] as string : undefined;
  const parts = constructPath?.split('/') ?? [];
  const constructId = constructPath ? (parts[parts.length - 1] === 'Resource' ? parts[parts.length - 2] : parts[parts.length - 1]) : undefined;
  return { stackName: ctx.stackName, logicalId: id, constructPath, constructId };
}

function text(value: any, ctx: ResolveContext, where: string): string {
  const v = resolveValue(value, ctx);
  if (v instanceof Unresolved) throw new Error(`${where} cannot be resolved locally: ${v.reason}`);
  return String(v);
}

function num(value: any, ctx: ResolveContext, where: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const v = Number(resolveValue(value, ctx));
  if (!Number.isFinite(v) || v < min || v > max || !Number.isInteger(v)) {
    throw new Error(`${where} is ${JSON.stringify(value)}; it must be a whole number from ${min} to ${max}`);
  }
  return v;
}

function bool(value: any, ctx: ResolveContext, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = resolveValue(value, ctx);
  return v === true || v === 'true';
}

function readQueue(id: string, r: any, ctx: ResolveContext, source: string): QueueModel {
  const p = r.Properties ?? {};
  const where = (prop: string) => `${source}: Resources.${id}.Properties.${prop}`;
  const fifo = bool(p.FifoQueue, ctx, false);
  if (p.QueueName !== undefined) text(p.QueueName, ctx, where('QueueName'));
  const name = queueName(id, r, ctx);
  if (fifo && !name.endsWith('.fifo')) throw new Error(`${where('QueueName')} '${name}' must end in .fifo for a FIFO queue (FifoQueue: true)`);
  if (!fifo && name.endsWith('.fifo')) throw new Error(`${where('QueueName')} '${name}' ends in .fifo but FifoQueue is not true; set FifoQueue: true`);
  let redrivePolicy: QueueModel['redrivePolicy'];
  if (p.RedrivePolicy !== undefined) {
    let rp = resolveValue(p.RedrivePolicy, ctx);
    if (typeof rp === 'string') {
      try {
        rp = JSON.parse(rp);
      } catch {
        throw new Error(`${where('RedrivePolicy')} is not JSON: ${rp}`);
      }
    }
    const dlqRef = p.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt'];
    const dlqId = Array.isArray(dlqRef) ? dlqRef[0] : undefined;
    const target = dlqId && ctx.resources[dlqId]?.Type === 'AWS::SQS::Queue' ? queueArn(dlqId, ctx.resources[dlqId], ctx) : rp?.deadLetterTargetArn;
    if (typeof target !== 'string') throw new Error(`${where('RedrivePolicy')}.deadLetterTargetArn must be the dead-letter queue's ARN (Fn::GetAtt [Queue, Arn]), got ${JSON.stringify(p.RedrivePolicy?.deadLetterTargetArn)}`);
    redrivePolicy = { deadLetterTargetArn: target, maxReceiveCount: num(rp.maxReceiveCount, ctx, where('RedrivePolicy.maxReceiveCount'), 10, 1, 1000) };
  }
  return {
    ...origin(id, r, ctx),
    name,
    arn: `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`,
    url: `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${name}`,
    fifo,
    contentBasedDeduplication: bool(p.ContentBasedDeduplication, ctx, false),
    visibilityTimeoutSeconds: num(p.VisibilityTimeout, ctx, where('VisibilityTimeout'), 30, 0, 43_200),
    messageRetentionPeriodSeconds: num(p.MessageRetentionPeriod, ctx, where('MessageRetentionPeriod'), 345_600, 60, 1_209_600),
    delaySeconds: num(p.DelaySeconds, ctx, where('DelaySeconds'), 0, 0, 900),
    redrivePolicy,
    region: ctx.region,
    accountId: ctx.accountId,
  };
}

/** A queue's name as CloudFormation gives it: QueueName, or a generated one (with `.fifo` for a FIFO queue). */
function queueName(id: string, r: any, ctx: ResolveContext): string {
  const name = String(physicalId(id, r, ctx)).split('/').pop()!;
  const fifo = bool(r.Properties?.FifoQueue, ctx, false);
  return fifo && r.Properties?.QueueName === undefined && !name.endsWith('.fifo') ? `${name}.fifo` : name;
}

function queueArn(id: string, r: any, ctx: ResolveContext): string {
  return `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${queueName(id, r, ctx)}`;
}

function kinesisName(id: string, r: any, ctx: ResolveContext): string {
  const name = r.Properties?.Name !== undefined ? resolveValue(r.Properties.Name, ctx) : undefined;
  return typeof name === 'string' ? name : `${ctx.stackName}-${id}`;
}

function kinesisArn(id: string, r: any, ctx: ResolveContext): string {
  return `arn:aws:kinesis:${ctx.region}:${ctx.accountId}:stream/${kinesisName(id, r, ctx)}`;
}

function dynamoStreamArn(id: string, r: any, ctx: ResolveContext): string {
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${String(physicalId(id, r, ctx))}/stream/${DYNAMODB_STREAM_LABEL}`;
}

function readKinesis(id: string, r: any, ctx: ResolveContext, source: string): StreamModel {
  const p = r.Properties ?? {};
  const onDemand = resolveValue(p.StreamModeDetails?.StreamMode, ctx) === 'ON_DEMAND';
  return {
    ...origin(id, r, ctx),
    kind: 'kinesis',
    name: kinesisName(id, r, ctx),
    arn: kinesisArn(id, r, ctx),
    // An on-demand stream starts with 4 shards.
    shardCount: num(p.ShardCount, ctx, `${source}: Resources.${id}.Properties.ShardCount`, onDemand ? 4 : 1, 1, 10_000),
    region: ctx.region,
    accountId: ctx.accountId,
  };
}

function readDynamo(id: string, r: any, ctx: ResolveContext, source: string): StreamModel {
  const p = r.Properties ?? {};
  const where = `${source}: Resources.${id}.Properties.StreamSpecification.StreamViewType`;
  const viewType = text(p.StreamSpecification?.StreamViewType, ctx, where);
  if (!STREAM_VIEW_TYPES.includes(viewType)) throw new Error(`${where} is '${viewType}'; use one of ${STREAM_VIEW_TYPES.join(', ')}`);
  const keySchema: any[] = Array.isArray(p.KeySchema) ? p.KeySchema : [];
  const keyAttributes = [...keySchema].sort((a, b) => (a?.KeyType === 'HASH' ? -1 : 0) - (b?.KeyType === 'HASH' ? -1 : 0))
    .map((k) => String(resolveValue(k?.AttributeName, ctx)));
  const tableName = String(physicalId(id, r, ctx));
  return {
    ...origin(id, r, ctx),
    kind: 'dynamodb',
    name: tableName,
    arn: dynamoStreamArn(id, r, ctx),
    tableArn: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableName}`,
    shardCount: 1,
    streamViewType: viewType,
    keyAttributes,
    region: ctx.region,
    accountId: ctx.accountId,
  };
}

/** The alias or version a FunctionName names (`Ref` to an alias resource, or an ARN / name with `:qualifier`). */
function qualifierOf(value: any, resources: Record<string, any>, ctx: ResolveContext): string | undefined {
  const ref = value?.Ref ?? (Array.isArray(value?.['Fn::GetAtt']) ? value['Fn::GetAtt'][0] : undefined);
  if (typeof ref === 'string') {
    const r = resources[ref];
    if (r?.Type === 'AWS::Lambda::Alias') return String(resolveValue(r.Properties?.Name, ctx));
    if (r?.Type === 'AWS::Lambda::Version') return undefined; // the version's number is the loader's; run $LATEST's code
    return undefined;
  }
  const v = resolveValue(value, ctx);
  if (typeof v !== 'string') return undefined;
  const m = /:function:[^:]+:([^:]+)$/.exec(v) ?? /^[^:]+:([^:]+)$/.exec(v);
  return m?.[1];
}

function readMapping(id: string, r: any, ctx: ResolveContext, where: string,
  fn: { stackName: string; logicalId: string; qualifier?: string }, arn: string, kind: 'sqs' | 'kinesis' | 'dynamodb', fifo: boolean): EventSourceMappingModel {
  const p = r.Properties ?? {};
  const at = (prop: string) => `${where}: Properties.${prop}`;
  const notes: string[] = [];
  const limits = kind === 'sqs' ? (fifo ? BATCH_LIMITS.sqsFifo : BATCH_LIMITS.sqs) : BATCH_LIMITS[kind];
  const batchSize = num(p.BatchSize, ctx, at('BatchSize'), limits.default, 1, limits.max);
  const window = num(p.MaximumBatchingWindowInSeconds, ctx, at('MaximumBatchingWindowInSeconds'), 0, 0, 300);
  if (kind === 'sqs' && batchSize > 10 && window < 1) {
    throw new Error(`${at('BatchSize')} is ${batchSize}: an SQS mapping with a BatchSize over 10 needs MaximumBatchingWindowInSeconds of at least 1 (Lambda refuses it otherwise)`);
  }
  const responseTypes = resolveValue(p.FunctionResponseTypes, ctx);
  const types: string[] = Array.isArray(responseTypes) ? responseTypes.map(String) : [];
  for (const t of types) if (t !== 'ReportBatchItemFailures') throw new Error(`${at('FunctionResponseTypes')} has '${t}'; the only value is ReportBatchItemFailures`);
  const filters: any[] = [];
  const rawFilters = resolveValue(p.FilterCriteria?.Filters, ctx);
  if (rawFilters !== undefined) {
    if (!Array.isArray(rawFilters)) throw new Error(`${at('FilterCriteria.Filters')} must be a list of { Pattern: '<JSON>' }`);
    if (rawFilters.length > 5) notes.push(`FilterCriteria has ${rawFilters.length} filters; Lambda allows 5 by default`);
    rawFilters.forEach((f: any, i: number) => {
      const pattern = f?.Pattern;
      try {
        filters.push(typeof pattern === 'string' ? JSON.parse(pattern) : pattern);
      } catch (err) {
        throw new Error(`${at(`FilterCriteria.Filters[${i}].Pattern`)} is not valid JSON (${(err as Error).message}): ${pattern}`);
      }
    });
  }
  const stream = kind !== 'sqs';
  const startingPosition = p.StartingPosition !== undefined ? text(p.StartingPosition, ctx, at('StartingPosition')) : undefined;
  if (stream && startingPosition === undefined) throw new Error(`${at('StartingPosition')} is missing: a ${kind === 'kinesis' ? 'Kinesis' : 'DynamoDB'} stream mapping needs TRIM_HORIZON or LATEST`);
  if (stream && !['TRIM_HORIZON', 'LATEST', ...(kind === 'kinesis' ? ['AT_TIMESTAMP'] : [])].includes(startingPosition!)) {
    throw new Error(`${at('StartingPosition')} is '${startingPosition}'; use TRIM_HORIZON or LATEST${kind === 'kinesis' ? ' (or AT_TIMESTAMP)' : ''}`);
  }
  if (!stream) {
    for (const prop of ['StartingPosition', 'BisectBatchOnFunctionError', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor', 'DestinationConfig', 'TumblingWindowInSeconds']) {
      if (p[prop] !== undefined) throw new Error(`${at(prop)} is not valid for an SQS source (it is a stream setting); remove it`);
    }
  } else if (p.ScalingConfig !== undefined) {
    throw new Error(`${at('ScalingConfig')} is valid for SQS sources only; remove it (streams scale by ParallelizationFactor)`);
  }
  if (p.TumblingWindowInSeconds !== undefined) notes.push('TumblingWindowInSeconds: tumbling windows are not emulated; each batch is delivered on its own, without window or state');
  const onFailure = p.DestinationConfig?.OnFailure?.Destination;
  const destination = onFailure !== undefined ? resolveValue(onFailure, ctx) : undefined;
  if (destination instanceof Unresolved) notes.push(`DestinationConfig.OnFailure cannot be resolved locally (${destination.reason}); failed batches are dropped`);
  const origins = origin(id, r, ctx);
  return {
    ...origins,
    functionStackName: fn.stackName,
    functionLogicalId: fn.logicalId,
    qualifier: fn.qualifier,
    eventSourceArn: arn,
    sourceKind: kind,
    enabled: bool(p.Enabled, ctx, true),
    batchSize,
    maximumBatchingWindowSeconds: window,
    reportBatchItemFailures: types.includes('ReportBatchItemFailures'),
    filters,
    maximumConcurrency: p.ScalingConfig?.MaximumConcurrency !== undefined
      ? num(p.ScalingConfig.MaximumConcurrency, ctx, at('ScalingConfig.MaximumConcurrency'), 2, 2, 1000) : undefined,
    startingPosition,
    startingPositionTimestamp: p.StartingPositionTimestamp !== undefined ? Number(resolveValue(p.StartingPositionTimestamp, ctx)) : undefined,
    bisectBatchOnFunctionError: bool(p.BisectBatchOnFunctionError, ctx, false),
    maximumRetryAttempts: num(p.MaximumRetryAttempts, ctx, at('MaximumRetryAttempts'), -1, -1, 10_000),
    maximumRecordAgeSeconds: p.MaximumRecordAgeInSeconds !== undefined && Number(resolveValue(p.MaximumRecordAgeInSeconds, ctx)) !== -1
      ? num(p.MaximumRecordAgeInSeconds, ctx, at('MaximumRecordAgeInSeconds'), -1, 60, 604_800) : -1,
    parallelizationFactor: num(p.ParallelizationFactor, ctx, at('ParallelizationFactor'), 1, 1, 10),
    onFailureDestination: typeof destination === 'string' ? destination : undefined,
    notes,
  };
}
