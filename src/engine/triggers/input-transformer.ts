// What an EventBridge target sends its function: the whole event, `Input` (constant JSON), `InputPath` (a JSONPath
// into the event) or `InputTransformer` (InputPathsMap + InputTemplate with `<name>` placeholders, rendered as
// EventBridge renders them). Owned by the pattern work (issue 14). PLACEHOLDER until it lands.

export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

/** The payload (JSON text, or the template's text) a target with this input configuration sends for `event`. */
export function renderTargetInput(target: TargetInput, event: unknown): string {
  if (target.Input !== undefined) return target.Input;
  return JSON.stringify(event);
}
