// The one record of an invocation the layers hand down: what the runtime is given for it (the event and the
// Lambda-Runtime-* facts). The runner fills it once; the environment adds its time budget, the Runtime API the
// deadline that budget ends at.

/** An invocation as the runtime sees it (the body and headers of `/invocation/next`). */
export interface InvocationEvent {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly traceId?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  /** The tenant of a multi-tenant function (`Lambda-Runtime-Aws-Tenant-Id`). */
  readonly tenantId?: string;
}
