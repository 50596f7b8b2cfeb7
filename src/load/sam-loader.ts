// Reads the functions of a SAM template (hand-written, or a SamStack's output in cdk.out): the template is expanded the
// way the SAM transform would, then read by the CloudFormation loader, so SAM and CloudFormation give the same model.
import { expandSamTemplate, isSamTemplate } from './expand-sam';
import { loadCloudFormationTemplate, TemplateLoadOptions } from './template-loader';
import { FunctionSpec } from '../model/function-spec';

export { isSamTemplate, SAM_TRANSFORM } from './expand-sam';

export type SamLoadOptions = TemplateLoadOptions;

/** Reads every function of a SAM template. Throws an error naming the resource and property for what cannot run. */
export function loadSamTemplate(template: any, options: SamLoadOptions): FunctionSpec[] {
  const { template: expanded, warnings, missingCode, unsupported } = expandSamTemplate(template, {
    stackName: options.stackName,
    region: options.region,
    accountId: options.accountId,
    parameterOverrides: options.parameterOverrides,
    baseDir: options.baseDir,
    source: options.source,
  });
  return loadCloudFormationTemplate(expanded, options).map((spec) => {
    const extra = warnings[spec.logicalId] ?? [];
    const samOnly = unsupported[spec.logicalId] ?? [];
    const withWarnings = {
      ...spec,
      warnings: extra.length ? [...extra, ...spec.warnings] : spec.warnings,
      unsupported: [...samOnly, ...(spec.unsupported ?? [])],
    };
    const missing = missingCode[spec.logicalId];
    return missing ? { ...withWarnings, missingCodeMessage: missing } : withWarnings;
  });
}

/** Reads a template's functions, through the SAM loader when it is a SAM template. */
export function loadAnyTemplate(template: any, options: SamLoadOptions): FunctionSpec[] {
  return isSamTemplate(template) ? loadSamTemplate(template, options) : loadCloudFormationTemplate(template, options);
}
