// What a resource loader (triggers, APIs) is given for one template: the template after SAM expansion (plain
// CloudFormation), the context that resolves its intrinsics, and the functions the function loader read from it.
import { ResolveContext } from './intrinsics';
import { TemplateLoadOptions } from './template-loader';
import { FunctionSpec } from '../model/function-spec';

export interface LoadedTemplate {
  /** The CloudFormation template (a SAM template already expanded as SAM's transform would). */
  readonly template: any;
  readonly ctx: ResolveContext;
  readonly options: TemplateLoadOptions;
  /** The functions of this template. */
  readonly functions: readonly FunctionSpec[];
}

/** The function a reference in the template stands for (a `Ref`/`Fn::GetAtt …Arn` of the function, a name or an ARN). */
export function functionOfReference(loaded: LoadedTemplate, reference: any): FunctionSpec | undefined {
  if (reference && typeof reference === 'object') {
    const ref = reference.Ref ?? (Array.isArray(reference['Fn::GetAtt']) ? reference['Fn::GetAtt'][0] : undefined)
      ?? (typeof reference['Fn::GetAtt'] === 'string' ? String(reference['Fn::GetAtt']).split('.')[0] : undefined);
    if (typeof ref === 'string') {
      const byId = loaded.functions.find((f) => f.logicalId === ref);
      if (byId) return byId;
      // A Ref to an alias or version resource: the function it belongs to.
      const resource = loaded.template.Resources?.[ref];
      if (resource?.Properties?.FunctionName !== undefined) return functionOfReference(loaded, resource.Properties.FunctionName);
    }
    return undefined;
  }
  if (typeof reference !== 'string') return undefined;
  const name = /:function:([^:]+)/.exec(reference)?.[1] ?? reference;
  return loaded.functions.find((f) => f.functionName === name || f.logicalId === name);
}
