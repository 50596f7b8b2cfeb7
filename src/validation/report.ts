// How findings reach the user: acknowledgements recorded as node metadata, errors as CDK validation messages,
// warnings and acknowledgements as annotations.
import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SunkFinding } from './context';
import { FindingSeverity } from './finding';

export const ACKNOWLEDGEMENT_METADATA = 'lambda-twin:acknowledge';

/** Records that `code` is accepted on `construct` (and everything below it). */
export function recordAcknowledgement(construct: IConstruct, code: string, reason: string): void {
  construct.node.addMetadata(ACKNOWLEDGEMENT_METADATA, { code, reason });
}

/** The reason `code` was acknowledged on the construct or one of its scopes, if it was. */
export function acknowledgementFor(construct: IConstruct, code: string): string | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const entry of scopes[i].node.metadata) {
      if (entry.type === ACKNOWLEDGEMENT_METADATA && (entry.data as { code: string }).code === code) {
        return (entry.data as { reason: string }).reason;
      }
    }
  }
  return undefined;
}

/** Findings that are not acknowledged. */
export function unacknowledged(entries: SunkFinding[]): SunkFinding[] {
  return entries.filter((e) => acknowledgementFor(e.construct, e.finding.code) === undefined);
}

/** The text shown for a finding. */
export function formatFinding(entry: SunkFinding, owner?: IConstruct): string {
  const f = entry.finding;
  const where = owner && owner.node.path !== f.path && !f.path.startsWith(`${owner.node.path}/Resource`) ? ` (${f.path})` : '';
  return `[${f.code}] ${f.message} Fix: ${f.fix}${where}`;
}

/**
 * Surfaces findings: acknowledged ones become info annotations, warnings become warning annotations,
 * and errors are returned for `node.addValidation` to report (synthesis then fails listing all of them).
 */
export function surface(entries: SunkFinding[], owner: IConstruct): string[] {
  const errors: string[] = [];
  for (const entry of entries) {
    const { finding, construct } = entry;
    const reason = acknowledgementFor(construct, finding.code);
    if (reason !== undefined) {
      addOnce(construct, `[${finding.code}] acknowledged: ${reason}`, (m) => Annotations.of(construct).addInfo(m));
    } else if (finding.severity === FindingSeverity.WARNING) {
      const text = formatFinding(entry);
      addOnce(construct, text, (m) => Annotations.of(construct).addWarningV2(`lambda-twin:${finding.code}`, m));
    } else {
      errors.push(formatFinding(entry, owner));
    }
  }
  return errors;
}

function addOnce(construct: IConstruct, message: string, add: (m: string) => void) {
  const seen = construct.node.metadata.some((m) => typeof m.data === 'string' && m.data.startsWith(message));
  if (!seen) add(message);
}
