// What the one loader produces for an app: its functions, the triggers that invoke them and the HTTP fronts that
// serve them. The engine core holds one AppModel. Internal: not part of the jsii API.
import { ApisModel, EMPTY_APIS } from './apis';
import { FunctionSpec } from './function-spec';
import { EMPTY_TRIGGERS, TriggersModel } from './triggers';

export interface AppModel {
  readonly functions: FunctionSpec[];
  readonly triggers: TriggersModel;
  readonly apis: ApisModel;
}

/** An app with only functions (what tests and callers that build specs by hand use). */
export function appOfFunctions(functions: FunctionSpec[]): AppModel {
  return { functions, triggers: EMPTY_TRIGGERS, apis: EMPTY_APIS };
}

/** Concatenates the list fields of models of the same shape (one per stack) into one. */
export function mergeModels<T extends object>(empty: T, models: readonly T[]): T {
  const merged: Record<string, unknown[]> = {};
  for (const key of Object.keys(empty)) merged[key] = [];
  for (const model of models) {
    for (const [key, value] of Object.entries(model)) {
      if (Array.isArray(value)) (merged[key] ??= []).push(...value);
    }
  }
  return merged as unknown as T;
}

/** The app made of several stacks' apps. */
export function mergeApps(apps: readonly AppModel[]): AppModel {
  return {
    functions: apps.flatMap((a) => a.functions),
    triggers: mergeModels(EMPTY_TRIGGERS, apps.map((a) => a.triggers)),
    apis: mergeModels(EMPTY_APIS, apps.map((a) => a.apis)),
  };
}
