// LT607: a Function URL without authentication is public on the internet.
import type { ResourceFacts } from '../context';
import type { PolicyRule } from '../rule';
import { RULES } from '../rules';

export const functionUrl: PolicyRule = {
  codes: [RULES.publicUrl],
  check: checkFunctionUrl,
};

/** LT607 for a Function URL. */
function checkFunctionUrl(url: ResourceFacts): void {
  if (url.props.AuthType === 'NONE') {
    url.report(RULES.publicUrl, 'The Function URL has auth type NONE: anyone on the internet can invoke the function.');
  }
}

