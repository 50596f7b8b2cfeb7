// acknowledgeRule records exactly what Validations.acknowledge records (metadata and annotation acknowledgements),
// so the cheaper path cannot drift from aws-cdk-lib unnoticed.
import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeRule } from '../../src/validation/cdk-acknowledgement';

const REASON = 'Log stream names are chosen by Lambda at run time.';
const IDS = [
  'AwsSolutions-IAM5',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-1a2b3c4d:*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/<HelloFn12AB>:*]',
  'Rule With Spaces',
];

/** Two sibling subtrees (construct + child), one acknowledged each way. */
function pair(): { viaCdk: IConstruct; viaHelper: IConstruct } {
  const stack = new Stack(new App(), 'S');
  const viaCdk = new Construct(stack, 'ViaCdk');
  const viaHelper = new Construct(stack, 'ViaHelper');
  new Construct(viaCdk, 'Child');
  new Construct(viaHelper, 'Child');
  return { viaCdk, viaHelper };
}

/** Metadata entries of a subtree, keyed by path relative to its root. */
function metadataOf(root: IConstruct): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const c of root.node.findAll()) out[c.node.path.slice(root.node.path.length)] = c.node.metadata.map((m) => ({ ...m }));
  return out;
}

describe('acknowledgeRule', () => {
  test.each(IDS)('writes the same metadata entry as Validations.acknowledge: %s', (id) => {
    const { viaCdk, viaHelper } = pair();
    Validations.of(viaCdk).acknowledge({ id, reason: REASON });
    acknowledgeRule(viaHelper, id, REASON);
    expect(metadataOf(viaHelper)).toEqual(metadataOf(viaCdk));
    expect(viaHelper.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toBe(true);
  });

  test.each(IDS)('removes existing warnings and suppresses later ones like Validations.acknowledge: %s', (id) => {
    const { viaCdk, viaHelper } = pair();
    const normalized = id.replace(/ /g, '-');
    const warn = (c: IConstruct, label: string) => {
      for (const w of [id, normalized, `Annotation::${normalized}`, 'Other-Rule']) {
        Annotations.of(c).addWarningV2(w, `${label} ${w}`);
        Annotations.of(c.node.findChild('Child')).addWarningV2(w, `${label} child ${w}`);
      }
    };
    warn(viaCdk, 'before');
    warn(viaHelper, 'before');
    Validations.of(viaCdk).acknowledge({ id, reason: REASON });
    acknowledgeRule(viaHelper, id, REASON);
    warn(viaCdk, 'after');
    warn(viaHelper, 'after');
    const warnings = (root: IConstruct) => root.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => m.data));
    expect(warnings(viaHelper)).toEqual(warnings(viaCdk));
    expect(warnings(viaHelper).some((w) => String(w).includes('Other-Rule'))).toBe(true);
  });
});
