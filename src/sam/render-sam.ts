// Renders a synthesized CloudFormation template as a SAM template: functions and layers become AWS::Serverless::*,
// single-function execution roles fold into `Policies`, and event sources SAM has an event type for (SNS, SQS,
// Kinesis, DynamoDB, Schedule, EventBridge rules) become `Events`. Anything SAM cannot say stays as CloudFormation.
import { SAM_FUNCTION_PASS_THROUGH, SAM_LAYER_PASS_THROUGH, SAM_POLL_EVENTS, SAM_SNS_EVENT_PROPERTIES, SAM_TRANSFORM, samPollEventOfSource } from '../model/sam-vocabulary';

/** Finds the local path of an asset (relative to the cloud assembly, e.g. `asset.<hash>`) by its 64-hex hash. */
export type AssetLookup = (assetHash: string) => string | undefined;

export interface RenderSamOptions {
  /**
   * Write `CodeUri`/`ContentUri` as the staged asset's local path (for `sam build`, `sam local`, `sam package`), or
   * keep the S3 location CDK publishes to (for `cdk deploy`, where CloudFormation runs the transform). The
   * `aws:asset:path` metadata is written in both cases, so SAM CLI finds the code either way.
   * @default true
   */
  readonly localCodeUri?: boolean;
}

const FUNCTION_PASS_THROUGH = new Set(SAM_FUNCTION_PASS_THROUGH);
const LAYER_PASS_THROUGH = new Set(SAM_LAYER_PASS_THROUGH);

const BASIC_EXECUTION_POLICY = 'service-role/AWSLambdaBasicExecutionRole';

/**
 * The SAM form of a synthesized CloudFormation template (which is not modified). `assetLookup` finds the staged
 * folder or file of an asset from its hash, so `CodeUri` can point at it.
 */
export function renderSam(cfnTemplate: any, assetLookup: AssetLookup = () => undefined, options: RenderSamOptions = {}): any {
  const template = JSON.parse(JSON.stringify(cfnTemplate ?? {}));
  const resources: Record<string, any> = template.Resources ?? {};
  const renderer = new SamRenderer(template, resources, assetLookup, options.localCodeUri ?? true);
  renderer.render();
  template.Transform = withSamTransform(template.Transform);
  return orderTemplate(template);
}

class SamRenderer {
  private readonly references: Map<string, Reference[]>;
  private readonly removed = new Set<string>();
  private readonly events = new Map<string, Record<string, any>>();

  constructor(
    template: any,
    private readonly resources: Record<string, any>,
    private readonly assetLookup: AssetLookup,
    private readonly localCodeUri: boolean,
  ) {
    this.references = indexReferences(template);
  }

  render(): void {
    const functions = new Map<string, Record<string, any>>();
    for (const [id, resource] of Object.entries<any>(this.resources)) {
      if (resource?.Type !== 'AWS::Lambda::Function') continue;
      const properties = this.functionProperties(resource);
      if (properties) functions.set(id, properties);
    }
    for (const id of functions.keys()) this.events.set(id, {});
    this.collectSnsEvents();
    this.collectMappingEvents();
    this.collectRuleEvents();
    for (const [id, properties] of functions) {
      const resource = this.resources[id];
      const events = this.events.get(id)!;
      const roleProperties = this.roleProperties(id, properties.Role);
      const { Role: _role, ...rest } = properties;
      this.resources[id] = {
        ...resource,
        Type: 'AWS::Serverless::Function',
        Properties: { ...rest, ...roleProperties, ...(Object.keys(events).length ? { Events: events } : {}) },
      };
    }
    for (const [id, resource] of Object.entries<any>(this.resources)) {
      if (resource?.Type === 'AWS::Lambda::LayerVersion') this.renderLayer(id, resource);
    }
    for (const id of this.removed) delete this.resources[id];
    for (const resource of Object.values<any>(this.resources)) {
      if (resource?.DependsOn === undefined) continue;
      const dependsOn = (Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn]).filter((d: string) => !this.removed.has(d));
      if (dependsOn.length) resource.DependsOn = dependsOn;
      else delete resource.DependsOn;
    }
  }

  /** The SAM properties of a function, or undefined when one of its properties has no SAM equivalent. */
  private functionProperties(resource: any): Record<string, any> | undefined {
    const props: Record<string, any> = resource.Properties ?? {};
    const out: Record<string, any> = {};
    for (const [key, value] of Object.entries(props)) {
      if (FUNCTION_PASS_THROUGH.has(key) || key === 'Role') {
        out[key] = value;
      } else if (key === 'Code') {
        const code = this.codeUri(resource, value, 'Code');
        if (!code) return undefined;
        Object.assign(out, code);
      } else if (key === 'TracingConfig' && typeof value?.Mode === 'string') {
        out.Tracing = value.Mode;
      } else if (key === 'DeadLetterConfig') {
        const type = this.deadLetterType(value?.TargetArn);
        if (!type) return undefined;
        out.DeadLetterQueue = { Type: type, TargetArn: value.TargetArn };
      } else if (key === 'Tags' && Array.isArray(value) && value.every((t: any) => typeof t?.Key === 'string')) {
        out.Tags = Object.fromEntries(value.map((t: any) => [t.Key, t.Value]));
      } else {
        return undefined; // no SAM equivalent: the function stays AWS::Lambda::Function
      }
    }
    return out;
  }

  /** `CodeUri`/`InlineCode`/`ImageUri` (or `ContentUri`) for a function's Code or a layer's Content. */
  private codeUri(resource: any, code: any, property: 'Code' | 'Content'): Record<string, any> | undefined {
    const uriProperty = property === 'Code' ? 'CodeUri' : 'ContentUri';
    if (code?.ZipFile !== undefined && property === 'Code') return { InlineCode: code.ZipFile };
    if (code?.ImageUri !== undefined && property === 'Code') return { ImageUri: code.ImageUri };
    if (code?.S3Bucket === undefined || code?.S3Key === undefined) return undefined;
    const metadata = resource.Metadata ?? {};
    const hash = /(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])/.exec(JSON.stringify(code.S3Key))?.[1];
    const local: string | undefined = metadata['aws:asset:path'] && (metadata['aws:asset:property'] ?? property) === property
      ? metadata['aws:asset:path']
      : hash ? this.assetLookup(hash) : undefined;
    if (local) {
      // SAM CLI (sam local / sam build) replaces the property named here with the local path.
      resource.Metadata = { ...metadata, 'aws:asset:path': local, 'aws:asset:property': uriProperty };
    }
    if (local && this.localCodeUri) return { [uriProperty]: local };
    const s3 = { Bucket: code.S3Bucket, Key: code.S3Key, ...(code.S3ObjectVersion !== undefined ? { Version: code.S3ObjectVersion } : {}) };
    return { [uriProperty]: s3 };
  }

  /** SNS or SQS, from what a dead-letter target ARN points at; undefined when it cannot be told. */
  private deadLetterType(arn: any): string | undefined {
    const target = referencedId(arn);
    const type = target ? this.resources[target]?.Type : undefined;
    if (type === 'AWS::SQS::Queue') return 'SQS';
    if (type === 'AWS::SNS::Topic') return 'SNS';
    if (typeof arn === 'string') return /^arn:[^:]+:sqs:/.test(arn) ? 'SQS' : /^arn:[^:]+:sns:/.test(arn) ? 'SNS' : undefined;
    return undefined;
  }

  /**
   * `Policies` instead of `Role` when the role is the plain Lambda execution role of this function alone (SAM would
   * create the same one); otherwise `Role`. Never both.
   */
  private roleProperties(functionId: string, role: any): Record<string, any> {
    if (role === undefined) return {};
    const roleId = role?.['Fn::GetAtt']?.[1] === 'Arn' ? role['Fn::GetAtt'][0] : undefined;
    const roleResource = roleId ? this.resources[roleId] : undefined;
    if (!roleResource || roleResource.Type !== 'AWS::IAM::Role') return { Role: role };
    const props = roleResource.Properties ?? {};
    if (Object.keys(props).some((k) => !['AssumeRolePolicyDocument', 'ManagedPolicyArns', 'Policies'].includes(k))) return { Role: role };
    if (!trustsOnlyLambda(props.AssumeRolePolicyDocument)) return { Role: role };
    const managed: any[] = props.ManagedPolicyArns ?? [];
    if (!managed.some((arn) => JSON.stringify(arn).includes(BASIC_EXECUTION_POLICY))) return { Role: role };
    const attached: string[] = [];
    for (const ref of this.references.get(roleId) ?? []) {
      if (ref.kind === 'DependsOn') continue;
      if (ref.from === functionId && ref.path === 'Properties.Role') continue;
      const policy = this.resources[ref.from];
      const soleRole = policy?.Type === 'AWS::IAM::Policy' && ref.path.startsWith('Properties.Roles')
        && (policy.Properties?.Roles ?? []).length === 1 && Object.keys(policy.Properties ?? {}).every((k) => ['PolicyDocument', 'PolicyName', 'Roles'].includes(k));
      if (!soleRole || this.isReferenced(ref.from)) return { Role: role };
      attached.push(ref.from);
    }
    const documents = [
      ...(props.Policies ?? []).map((p: any) => p.PolicyDocument),
      ...attached.map((id) => this.resources[id].Properties.PolicyDocument),
    ];
    // A policy naming the function would make the SAM-generated role depend on the function: a circular dependency.
    if (documents.some((doc) => mentions(doc, functionId))) return { Role: role };
    this.removed.add(roleId);
    attached.forEach((id) => this.removed.add(id));
    const policies = [...managed.filter((arn) => !JSON.stringify(arn).includes(BASIC_EXECUTION_POLICY)), ...documents];
    return policies.length ? { Policies: policies } : {};
  }

  /** SNS subscriptions of a function, with the permission that lets the topic invoke it, become `SNS` events. */
  private collectSnsEvents(): void {
    for (const [id, resource] of Object.entries<any>(this.resources)) {
      if (resource?.Type !== 'AWS::SNS::Subscription') continue;
      const p = resource.Properties ?? {};
      const functionId = p.Protocol === 'lambda' ? functionOf(p.Endpoint) : undefined;
      if (!functionId || !this.events.has(functionId) || this.isReferenced(id)) continue;
      if (Object.keys(p).some((k) => !['Protocol', 'Endpoint', 'TopicArn', ...SAM_SNS_EVENT_PROPERTIES].includes(k))) continue;
      const permission = this.findPermission(functionId, 'sns.amazonaws.com', p.TopicArn);
      if (!permission) continue;
      const { Protocol: _protocol, Endpoint: _endpoint, TopicArn: topic, ...rest } = p;
      this.addEvent(functionId, id, { Type: 'SNS', Properties: { Topic: topic, ...rest } }, [id, permission]);
    }
  }

  /** Event source mappings from SQS queues, Kinesis streams and DynamoDB streams become SQS/Kinesis/DynamoDB events. */
  private collectMappingEvents(): void {
    for (const [id, resource] of Object.entries<any>(this.resources)) {
      if (resource?.Type !== 'AWS::Lambda::EventSourceMapping') continue;
      const p = resource.Properties ?? {};
      const functionId = functionOf(p.FunctionName);
      const getAtt = p.EventSourceArn?.['Fn::GetAtt'];
      const source = Array.isArray(getAtt) ? this.resources[getAtt[0]] : undefined;
      const type = source ? samPollEventOfSource(source.Type) : undefined;
      const kind = type ? SAM_POLL_EVENTS[type] : undefined;
      if (!functionId || !this.events.has(functionId) || !kind || getAtt[1] !== kind.sourceResource?.attribute || this.isReferenced(id)) continue;
      const { FunctionName: _name, EventSourceArn: arn, ...rest } = p;
      if (Object.keys(rest).some((k) => !kind.properties.includes(k))) continue;
      this.addEvent(functionId, id, { Type: type, Properties: { [kind.sourceProperty]: arn, ...rest } }, [id]);
    }
  }

  /** EventBridge rules whose one target is a function, with their permission, become Schedule/EventBridgeRule events. */
  private collectRuleEvents(): void {
    for (const [id, resource] of Object.entries<any>(this.resources)) {
      if (resource?.Type !== 'AWS::Events::Rule') continue;
      const p = resource.Properties ?? {};
      const targets = p.Targets ?? [];
      if (targets.length !== 1 || Object.keys(targets[0]).some((k) => !['Arn', 'Id', 'Input'].includes(k))) continue;
      const functionId = functionOf(targets[0].Arn);
      if (!functionId || !this.events.has(functionId)) continue;
      if (Object.keys(p).some((k) => !['ScheduleExpression', 'EventPattern', 'State', 'Name', 'Description', 'EventBusName', 'Targets'].includes(k))) continue;
      const permission = this.findPermission(functionId, 'events.amazonaws.com', { 'Fn::GetAtt': [id, 'Arn'] });
      if (!permission || (this.references.get(id) ?? []).some((r) => r.from !== permission && r.kind !== 'DependsOn')) continue;
      const input = targets[0].Input !== undefined ? { Input: targets[0].Input } : {};
      const target = targets[0].Id !== undefined ? { Target: { Id: targets[0].Id } } : {};
      let event: any;
      if (p.ScheduleExpression !== undefined && p.EventPattern === undefined && p.EventBusName === undefined) {
        event = {
          Type: 'Schedule',
          Properties: {
            Schedule: p.ScheduleExpression,
            ...input,
            ...(p.State !== undefined ? { State: p.State } : {}),
            ...(p.Name !== undefined ? { Name: p.Name } : {}),
            ...(p.Description !== undefined ? { Description: p.Description } : {}),
          },
        };
      } else if (p.EventPattern !== undefined && p.ScheduleExpression === undefined && (p.State ?? 'ENABLED') === 'ENABLED' && p.Description === undefined) {
        event = {
          Type: 'EventBridgeRule',
          Properties: {
            Pattern: p.EventPattern,
            ...input,
            ...target,
            ...(p.EventBusName !== undefined ? { EventBusName: p.EventBusName } : {}),
            ...(p.Name !== undefined ? { RuleName: p.Name } : {}),
          },
        };
      } else {
        continue;
      }
      this.addEvent(functionId, id, event, [id, permission]);
    }
  }

  private addEvent(functionId: string, sourceId: string, event: any, replaced: string[]): void {
    const events = this.events.get(functionId)!;
    let name = sourceId.replace(/[^A-Za-z0-9]/g, '');
    for (let n = 2; events[name] !== undefined; n++) name = `${sourceId.replace(/[^A-Za-z0-9]/g, '')}${n}`;
    events[name] = event;
    replaced.forEach((id) => this.removed.add(id));
  }

  /** The logical id of the unreferenced permission that lets `principal` invoke the function from `sourceArn`. */
  private findPermission(functionId: string, principal: string, sourceArn: any): string | undefined {
    for (const [id, resource] of Object.entries<any>(this.resources)) {
      if (resource?.Type !== 'AWS::Lambda::Permission' || this.removed.has(id)) continue;
      const p = resource.Properties ?? {};
      if (functionOf(p.FunctionName) !== functionId || p.Principal !== principal || p.Action !== 'lambda:InvokeFunction') continue;
      if (JSON.stringify(p.SourceArn) !== JSON.stringify(sourceArn)) continue;
      if (Object.keys(p).some((k) => !['Action', 'FunctionName', 'Principal', 'SourceArn', 'SourceAccount'].includes(k))) continue;
      if (this.isReferenced(id)) continue;
      return id;
    }
    return undefined;
  }

  /** Whether anything other than a DependsOn points at a resource. */
  private isReferenced(id: string): boolean {
    return (this.references.get(id) ?? []).some((r) => r.kind !== 'DependsOn');
  }

  private renderLayer(id: string, resource: any): void {
    const props = resource.Properties ?? {};
    if (Object.keys(props).some((k) => k !== 'Content' && !LAYER_PASS_THROUGH.has(k))) return;
    // The transform renames layers (a hash suffix) and rewrites Refs to them; other references would break.
    if ((this.references.get(id) ?? []).some((r) => r.kind !== 'Ref' && r.kind !== 'DependsOn')) return;
    const content = this.codeUri(resource, props.Content, 'Content');
    if (!content) return;
    const rest = Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'Content'));
    const { DeletionPolicy: deletionPolicy, UpdateReplacePolicy: _replace, ...attributes } = resource;
    this.resources[id] = {
      ...attributes,
      Type: 'AWS::Serverless::LayerVersion',
      // SAM sets DeletionPolicy from RetentionPolicy (its default is Retain); keep what CloudFormation had.
      Properties: { ...content, ...rest, RetentionPolicy: deletionPolicy === 'Retain' ? 'Retain' : 'Delete' },
    };
  }
}

interface Reference {
  /** The resource (or `Outputs`/`Conditions`) holding the reference. */
  readonly from: string;
  readonly kind: 'Ref' | 'GetAtt' | 'Sub' | 'DependsOn';
  /** Where in `from` it sits, e.g. `Properties.Role`. */
  readonly path: string;
}

/** Every reference to every logical id, by target. */
function indexReferences(template: any): Map<string, Reference[]> {
  const index = new Map<string, Reference[]>();
  const add = (target: string, ref: Reference): void => {
    if (!index.has(target)) index.set(target, []);
    index.get(target)!.push(ref);
  };
  const walk = (from: string, value: any, at: string): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(from, v, `${at}.${i}`));
      return;
    }
    if (typeof value.Ref === 'string') add(value.Ref, { from, kind: 'Ref', path: at });
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') add(getAtt[0], { from, kind: 'GetAtt', path: at });
    if (typeof getAtt === 'string') add(getAtt.split('.')[0], { from, kind: 'GetAtt', path: at });
    const sub = value['Fn::Sub'];
    const subText = Array.isArray(sub) ? sub[0] : sub;
    if (typeof subText === 'string') {
      for (const m of subText.matchAll(/\$\{([^}!.]+)(\.[^}]*)?\}/g)) add(m[1], { from, kind: 'Sub', path: at });
    }
    for (const [k, v] of Object.entries(value)) walk(from, v, at ? `${at}.${k}` : k);
  };
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    const dependsOn = resource?.DependsOn === undefined ? [] : Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
    dependsOn.forEach((d: string) => add(d, { from: id, kind: 'DependsOn', path: 'DependsOn' }));
    const { DependsOn: _d, ...rest } = resource ?? {};
    walk(id, rest, '');
  }
  for (const section of ['Outputs', 'Conditions', 'Rules', 'Mappings']) walk(section, template[section], '');
  return index;
}

/** The function a `FunctionName`/`Arn` value names: `{Ref: F}` or `{Fn::GetAtt: [F, Arn]}`. */
function functionOf(value: any): string | undefined {
  if (typeof value?.Ref === 'string') return value.Ref;
  const getAtt = value?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return getAtt[0];
  return undefined;
}

function referencedId(value: any): string | undefined {
  if (typeof value?.Ref === 'string') return value.Ref;
  const getAtt = value?.['Fn::GetAtt'];
  return Array.isArray(getAtt) ? getAtt[0] : undefined;
}

function mentions(value: any, logicalId: string): boolean {
  const text = JSON.stringify(value ?? null);
  return text.includes(`"Ref":"${logicalId}"`) || text.includes(`"Fn::GetAtt":["${logicalId}"`) || text.includes(`\${${logicalId}`);
}

/** The trust policy of a plain Lambda execution role: one statement letting lambda.amazonaws.com assume it. */
function trustsOnlyLambda(document: any): boolean {
  const statements = document?.Statement ?? [];
  if (statements.length !== 1) return false;
  const s = statements[0];
  const service = s.Principal?.Service;
  const services = Array.isArray(service) ? service : [service];
  const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
  return s.Effect === 'Allow' && services.length === 1 && services[0] === 'lambda.amazonaws.com'
    && actions.length === 1 && actions[0] === 'sts:AssumeRole' && Object.keys(s.Principal ?? {}).length === 1 && s.Condition === undefined;
}

/** The template's Transform with SAM's added (once). */
function withSamTransform(transform: any): any {
  if (transform === undefined) return SAM_TRANSFORM;
  const list = Array.isArray(transform) ? transform : [transform];
  if (list.includes(SAM_TRANSFORM)) return transform;
  // SAM must run first when there are other macros: CloudFormation applies transforms in order.
  return [SAM_TRANSFORM, ...list];
}

/** Sections in the order people expect to read them. */
function orderTemplate(template: any): any {
  const order = ['AWSTemplateFormatVersion', 'Transform', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Rules', 'Globals', 'Resources', 'Outputs'];
  const out: Record<string, any> = {};
  for (const key of order) if (template[key] !== undefined) out[key] = template[key];
  for (const [key, value] of Object.entries(template)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}
