// Reads the HTTP fronts of one template into the model (issue 15): REST APIs, HTTP APIs, Function URLs and SAM's
// APIs, each kind in its own file in this folder; authorizers and API keys come from authorizers.ts.
import { loadAuthorizers } from './authorizers';
import { loadFunctionUrls } from './function-urls';
import { loadHttpApis } from './http-apis';
import { LoadedFronts, loadRestApis } from './rest-apis';
import { isImplicitSamApi, loadSamApis } from './sam-apis';
import { ApisModel } from '../../model/apis';
import { LoadedTemplate } from '../resource-context';

export function loadApis(loaded: LoadedTemplate): ApisModel {
  const { authorizers, apiKeys, warnings } = loadAuthorizers(loaded);
  // SAM's implicit APIs are plain RestApi / Api resources after expansion: the SAM loader reads them, with their events.
  const resources = loaded.template.Resources ?? {};
  const plain: LoadedTemplate = {
    ...loaded,
    template: { ...loaded.template, Resources: Object.fromEntries(Object.entries<any>(resources).filter(([, r]) => !isImplicitSamApi(r))) },
  };
  const parts: LoadedFronts[] = [loadRestApis(plain), loadHttpApis(plain), loadFunctionUrls(loaded), loadSamApis(loaded)];
  return {
    fronts: parts.flatMap((p) => p.fronts),
    stages: parts.flatMap((p) => p.stages),
    routes: parts.flatMap((p) => p.routes),
    unsupported: [...parts.flatMap((p) => p.unsupported), ...warnings],
    authorizers,
    apiKeys,
  };
}
