// LT501-LT503: at most 5 layers, each compatible with the function's runtime and architecture.
import { LIMITS } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

const MAX_LAYERS = LIMITS.layersMax;

export const functionLayers: FunctionRule = {
  codes: [RULES.layerCount, RULES.layerRuntime, RULES.layerArchitecture],
  check: checkFunctionLayers,
};

/** LT501-LT503 for a function's layers. */
function checkFunctionLayers(fn: FunctionFacts): void {
  const layers = fn.props.Layers;
  if (!Array.isArray(layers)) return;
  if (layers.length > MAX_LAYERS) {
    fn.report(RULES.layerCount, `The function uses ${layers.length} layers; the maximum is ${MAX_LAYERS}.`);
  }
  for (const resource of fn.localLayers) { // imported layers: compatibility unknown
    const props = fn.pass.render(resource).props;
    const runtimes = props.CompatibleRuntimes;
    if (fn.runtime && Array.isArray(runtimes) && runtimes.every((r) => typeof r === 'string') && !runtimes.includes(fn.runtime)) {
      fn.report(RULES.layerRuntime, `Layer ${resource.node.path} supports [${runtimes.join(', ')}], not the function's runtime ${fn.runtime}.`);
    }
    const archs = props.CompatibleArchitectures;
    if (Array.isArray(archs) && archs.every((a) => typeof a === 'string') && !archs.includes(fn.architecture)) {
      fn.report(RULES.layerArchitecture, `Layer ${resource.node.path} supports [${archs.join(', ')}], not the function's architecture ${fn.architecture}.`);
    }
  }
}

