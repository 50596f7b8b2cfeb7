// Acknowledges a CDK validation rule (e.g. a cdk-nag finding) on a construct exactly as `Validations.acknowledge`
// records it, without the stack trace that call captures and then discards.
import { Annotations, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** How aws-cdk-lib qualifies a rule id given without a `<plugin>::` prefix (cdk-nag strips it again when matching). */
const ANNOTATION_NAMESPACE = 'Annotation::';

/**
 * Does what `Validations.of(construct).acknowledge({ id, reason })` does for an id without a `<plugin>::` prefix:
 * the same `aws:cdk:acknowledged-rules` metadata entry (what cdk-nag v3 reads) and the same annotation
 * acknowledgements. `Validations.acknowledge` also captures a stack trace that the metadata entry never keeps
 * (aws-cdk-lib 2.276 / constructs 10.5); at one acknowledgement per function that trace was most of its cost.
 * test/validation/cdk-acknowledgement.test.ts compares both paths, so a change in aws-cdk-lib shows up there.
 */
export function acknowledgeRule(construct: IConstruct, id: string, reason: string): void {
  const ruleId = id.replace(/ /g, '-');
  const qualifiedId = `${ANNOTATION_NAMESPACE}${ruleId}`;
  construct.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [qualifiedId]: reason });
  const annotations = Annotations.of(construct);
  annotations.acknowledgeWarning(qualifiedId);
  annotations.acknowledgeWarning(ruleId);
}
