// Cognito user pool trigger events (pre sign-up, post confirmation) as Cognito sends them to Lambda.
import { DEFAULT_REGION, SeededValues } from './volatile-values';

/**
 * Options for a Cognito user pool trigger event.
 */
export interface CognitoTriggerEventOptions {
  /**
   * The region of the user pool. (Cognito trigger events carry no account or time.)
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * The user name. The pool id, client id and `sub` derive from it unless given.
   * @default 'example-user'
   */
  readonly userName?: string;

  /**
   * The user's email.
   * @default 'user@example.com'
   */
  readonly email?: string;

  /**
   * Further user attributes, added to (and overriding) the email and sub.
   * @default - none
   */
  readonly userAttributes?: { [name: string]: string };

  /**
   * Client metadata passed by the app.
   * @default - none
   */
  readonly clientMetadata?: { [name: string]: string };

  /**
   * The user pool id.
   * @default - <region>_<9 characters> derived from the user name
   */
  readonly userPoolId?: string;

  /**
   * The app client id.
   * @default - derived from the user name
   */
  readonly clientId?: string;

  /**
   * The trigger source, such as `PreSignUp_AdminCreateUser`.
   * @default - `PreSignUp_SignUp` or `PostConfirmation_ConfirmSignUp`
   */
  readonly triggerSource?: string;
}

/** A pre sign-up trigger: the function may auto-confirm the user or reject the sign-up. */
export function cognitoPreSignUpEvent(options: CognitoTriggerEventOptions = {}): any {
  const event = cognitoEnvelope(options, 'PreSignUp_SignUp');
  event.request = {
    userAttributes: { email: options.email ?? 'user@example.com', ...options.userAttributes },
    validationData: null,
    ...clientMetadata(options),
  };
  event.response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  return event;
}

/** A post confirmation trigger, sent after the user confirmed the sign-up. */
export function cognitoPostConfirmationEvent(options: CognitoTriggerEventOptions = {}): any {
  const event = cognitoEnvelope(options, 'PostConfirmation_ConfirmSignUp');
  const ids = SeededValues.fromId(event.userName);
  event.request = {
    userAttributes: {
      'sub': ids.uuid('sub'),
      'email_verified': 'true',
      'cognito:user_status': 'CONFIRMED',
      'email': options.email ?? 'user@example.com',
      ...options.userAttributes,
    },
    ...clientMetadata(options),
  };
  event.response = {};
  return event;
}

function cognitoEnvelope(options: CognitoTriggerEventOptions, defaultTriggerSource: string): any {
  const userName = options.userName ?? 'example-user';
  const ids = SeededValues.fromId(userName);
  const region = options.region ?? DEFAULT_REGION;
  return {
    version: '1',
    region,
    userPoolId: options.userPoolId ?? `${region}_${ids.alphanumeric('user-pool-id', 9)}`,
    userName,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: options.clientId ?? ids.alphanumeric('client-id', 26).toLowerCase(),
    },
    triggerSource: options.triggerSource ?? defaultTriggerSource,
  };
}

function clientMetadata(options: CognitoTriggerEventOptions): Record<string, unknown> {
  return options.clientMetadata ? { clientMetadata: { ...options.clientMetadata } } : {};
}
