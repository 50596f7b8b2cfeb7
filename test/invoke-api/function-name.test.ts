// Parsing the Invoke API's FunctionName and Qualifier.
import { parseFunctionReference } from '../../src/engine/invoke-api/function-name';

describe('parseFunctionReference', () => {
  it('takes a name, name:qualifier, a full ARN and a partial ARN', () => {
    expect(parseFunctionReference('orders')).toEqual({ name: 'orders' });
    expect(parseFunctionReference('orders:live')).toMatchObject({ name: 'orders', qualifier: 'live' });
    expect(parseFunctionReference('arn:aws:lambda:eu-west-1:123456789012:function:orders:7'))
      .toEqual({ name: 'orders', qualifier: '7', region: 'eu-west-1', accountId: '123456789012' });
    expect(parseFunctionReference('123456789012:function:orders')).toMatchObject({ name: 'orders', accountId: '123456789012' });
    expect(parseFunctionReference('orders', '$LATEST')).toMatchObject({ qualifier: '$LATEST' });
  });

  it.each([
    ['orders!', undefined, /is not valid/],
    ['a:b:c', undefined, /too many ':' parts/],
    ['arn:aws:lambda:nowhere:1:function:x', undefined, /not a valid function ARN/],
    ['orders:bad qualifier', undefined, /qualifier 'bad qualifier' in FunctionName is not valid/],
    ['orders', 'v$1', /Qualifier 'v\$1' is not valid/],
    ['orders:live', 'prod', /does not match the specified qualifier/],
    ['', undefined, /FunctionName must be/],
  ])('rejects %p (qualifier %p) with InvalidParameterValueException', (name, qualifier, message) => {
    expect(() => parseFunctionReference(name, qualifier)).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException', statusCode: 400, message: expect.stringMatching(message) }));
  });
});
