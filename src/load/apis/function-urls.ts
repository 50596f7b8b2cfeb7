// Function URLs (`AWS::Lambda::Url`): the function (and alias) they front, AuthType, Cors and InvokeMode.
import { corsOf, frontBase, integrationTarget, resourcesOfType, stringValue } from './common';
import { LoadedFronts } from './rest-apis';
import { generatedResourceId } from '../intrinsics';
import { LoadedTemplate } from '../resource-context';

export function loadFunctionUrls(loaded: LoadedTemplate): LoadedFronts {
  const out: LoadedFronts = { fronts: [], stages: [], routes: [], unsupported: [] };
  for (const [logicalId, resource] of resourcesOfType(loaded, 'AWS::Lambda::Url')) {
    const p = resource.Properties ?? {};
    const target = integrationTarget(loaded, p.TargetFunctionArn);
    if (typeof target === 'string') {
      out.unsupported.push(`${logicalId}: a Function URL whose TargetFunctionArn names no function of this app (${target})`);
      continue;
    }
    const qualifier = stringValue(loaded, p.Qualifier) ?? target.qualifier;
    const authType = stringValue(loaded, p.AuthType, 'NONE')!;
    out.fronts.push({
      ...frontBase(loaded, 'URL', logicalId, resource),
      name: target.functionLogicalId!,
      physicalId: generatedResourceId(loaded.ctx.stackName, logicalId, 32),
      binaryMediaTypes: [],
      cors: corsOf(loaded, p.Cors),
      invokeMode: stringValue(loaded, p.InvokeMode, 'BUFFERED')!,
    });
    out.routes.push({
      stackName: loaded.ctx.stackName,
      apiId: logicalId,
      kind: 'URL',
      routeId: logicalId,
      method: 'ANY',
      path: '$default',
      integration: { type: 'AWS_PROXY', ...target, qualifier, payloadFormatVersion: '2.0' },
      authorization: { authorizationType: authType },
    });
    out.stages.push({ stackName: loaded.ctx.stackName, apiId: logicalId, name: '$default', variables: {} });
  }
  return out;
}
