// Reads the functions of a SAM template (hand-written, or a SamStack's output in cdk.out): the template is expanded the
// way the SAM transform would, then read by the CloudFormation loader, so SAM and CloudFormation give the same model.
import { expandSamTemplate, isSamTemplate } from './expand-sam';
import { loadCloudFormationApp, TemplateLoadOptions } from './template-loader';
import { AppModel } from '../model/app-model';
import { FunctionSpec } from '../model/function-spec';

export { isSamTemplate, SAM_TRANSFORM } from './expand-sam';

export type SamLoadOptions = TemplateLoadOptions;

/** Reads every function of a SAM template. Throws an error naming the resource and property for what cannot run. */
export function loadSamTemplate(template: any, options: SamLoadOptions): FunctionSpec[] {
  return loadSamApp(template, options).functions;
}

/** Reads a SAM template into the app model (expanded first, then read as CloudFormation). */
export function loadSamApp(template: any, options: SamLoadOptions): AppModel {
  const { template: expanded, warnings, missingCode, unsupported } = expandSamTemplate(template, {
    stackName: options.stackName,
    region: options.region,
    accountId: options.accountId,
    parameterOverrides: options.parameterOverrides,
    baseDir: options.baseDir,
    source: options.source,
  });
  return loadCloudFormationApp(expanded, options, (spec) => {
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
  return loadAnyTemplateApp(template, options).functions;
}

/** Reads a template into the app model, through the SAM loader when it is a SAM template. */
export function loadAnyTemplateApp(template: any, options: SamLoadOptions): AppModel {
  return isSamTemplate(template) ? loadSamApp(template, options) : loadCloudFormationApp(template, options);
}
