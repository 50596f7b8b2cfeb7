// The pattern language, case by case: each group checks one documented rule (EventBridge user guide
// eb-event-patterns*.md / eb-create-pattern-operators, the SNS developer guide's filter-policy pages, and the cases
// LocalStack ran against the real TestEventPattern — see ../shared/reference/triggers-http-java-facts.md §4, §5.1).
import { compileFilterCriteria, compilePattern, matchesPattern, PatternDialect, PatternError } from '../../src/engine/triggers/pattern';

type Case = [name: string, pattern: unknown, event: unknown, expected: boolean, dialect?: PatternDialect];

const EVENT = {
  'version': '0',
  'id': 'd3d8e2a6-0f5a-4a3b-9d6c-8c8e1f3e5c11',
  'detail-type': 'EC2 Instance State-change Notification',
  'source': 'aws.ec2',
  'account': '123456789012',
  'time': '2022-07-13T13:48:01Z',
  'region': 'us-east-1',
  'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-1', 'arn:aws:ec2:us-east-1:123456789012:instance/i-2'],
  'detail': {
    'instance-id': 'i-1',
    'state': 'running',
    'count': 300,
    'ratio': 0.25,
    'enabled': true,
    'disabled': false,
    'nothing': null,
    'empty': '',
    'ip': '10.0.0.255',
    'ipv6': '2001:db8::1',
    'file': '/Users/alice/dir/doc.txt',
    'tags': ['red', 'green'],
    'numbers': [1, 5, 9],
    'items': [{ name: 'a', size: 1 }, { name: 'b', size: 2 }],
    'nested': { deep: { value: 'x' } },
    'dotted.key': 'dot',
    'json': '{"inner":"v"}',
    'emptyList': [],
  },
};

const CASES: Case[] = [
  // Exact match: every pattern key must be present with one of the listed values; a list is OR (eb-event-patterns).
  ['exact string', { source: ['aws.ec2'] }, EVENT, true],
  ['exact string, one of several', { source: ['aws.s3', 'aws.ec2'] }, EVENT, true],
  ['exact string, none of the listed', { source: ['aws.s3', 'aws.fargate'] }, EVENT, false],
  ['exact strings are case-sensitive', { source: ['AWS.EC2'] }, EVENT, false],
  ['nested exact', { detail: { state: ['running'] } }, EVENT, true],
  ['nested exact, other value', { detail: { state: ['stopped'] } }, EVENT, false],
  ['all keys must match (AND)', { source: ['aws.ec2'], detail: { state: ['stopped'] } }, EVENT, false],
  ['all keys match', { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, EVENT, true],
  ['missing key fails', { detail: { missing: ['x'] } }, EVENT, false],
  ['extra event keys are ignored', { region: ['us-east-1'] }, EVENT, true],
  ['deep nesting', { detail: { nested: { deep: { value: ['x'] } } } }, EVENT, true],
  ['deep nesting, other value', { detail: { nested: { deep: { value: ['y'] } } } }, EVENT, false],
  ['an object where a value is expected fails', { detail: { nested: ['x'] } }, EVENT, false],
  ['a value where an object is expected fails', { detail: { state: { inner: ['running'] } } }, EVENT, false],
  ['JSON inside a string is not parsed', { detail: { json: { inner: ['v'] } } }, EVENT, false],
  ['the empty pattern matches everything', {}, EVENT, true],
  ['inherited names are not event keys', { constructor: [{ exists: true }] }, EVENT, false],
  ['inherited names are missing keys', { toString: [{ exists: false }] }, EVENT, true],
  // Numbers, booleans, null and empty strings are matched by type (eb-event-patterns null-values; LSPAT).
  ['exact number', { detail: { count: [300] } }, EVENT, true],
  ['exact number matches 300.0', { detail: { count: [300.0] } }, { detail: { count: 300.0 } }, true],
  ['exact number, other', { detail: { count: [301] } }, EVENT, false],
  ['number pattern does not match string', { detail: { count: [300] } }, { detail: { count: '300' } }, false],
  ['string pattern does not match number', { detail: { count: ['300'] } }, EVENT, false],
  ['exact float', { detail: { ratio: [0.25] } }, EVENT, true],
  ['boolean true', { detail: { enabled: [true] } }, EVENT, true],
  ['boolean false', { detail: { disabled: [false] } }, EVENT, true],
  ['boolean, other', { detail: { enabled: [false] } }, EVENT, false],
  ['boolean is not the string "true"', { detail: { enabled: ['true'] } }, EVENT, false],
  ['null matches null', { detail: { nothing: [null] } }, EVENT, true],
  ['null does not match "null"', { detail: { nothing: [null] } }, { detail: { nothing: 'null' } }, false],
  ['null does not match a missing key', { detail: { missing: [null] } }, EVENT, false],
  ['empty string matches empty string', { detail: { empty: [''] } }, EVENT, true],
  ['empty string does not match null', { detail: { nothing: [''] } }, EVENT, false],
  ['null does not match empty string', { detail: { empty: [null] } }, EVENT, false],
  // Arrays: an event array matches when any element matches (eb-event-patterns-arrays).
  ['array: any element', { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-2'] }, EVENT, true],
  ['array: no element', { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-3'] }, EVENT, false],
  ['array of strings vs list', { detail: { tags: ['blue', 'green'] } }, EVENT, true],
  ['array of strings, none', { detail: { tags: ['blue', 'yellow'] } }, EVENT, false],
  ['array of numbers', { detail: { numbers: [{ numeric: ['>', 8] }] } }, EVENT, true],
  ['array of numbers, none in range', { detail: { numbers: [{ numeric: ['>', 9] }] } }, EVENT, false],
  ['array of objects searched per element', { detail: { items: { name: ['b'] } } }, EVENT, true],
  ['array of objects, no element', { detail: { items: { name: ['c'] } } }, EVENT, false],
  ['array of objects: matches stay within one element', { detail: { items: { name: ['a'], size: [1] } } }, EVENT, true],
  ['array of objects: fields from two elements do not combine', { detail: { items: { name: ['a'], size: [2] } } }, EVENT, false],
  ['array of objects with a dotted key', { 'detail.items.name': ['a'] }, EVENT, true],
  // Dotted keys are the same as nesting, both ways (LSPAT dot_joining_*).
  ['dotted pattern key into nesting', { 'detail.state': ['running'] }, EVENT, true],
  ['dotted pattern key, other value', { 'detail.state': ['stopped'] }, EVENT, false],
  ['nested pattern into a dotted event key', { detail: { dotted: { key: ['dot'] } } }, EVENT, true],
  ['dotted pattern key into a dotted event key', { 'detail.dotted.key': ['dot'] }, EVENT, true],
  ['dotted event key, other value', { detail: { dotted: { key: ['nope'] } } }, EVENT, false],
  // prefix: strings only, case-sensitive; "" matches every string (eb-create-pattern-operators; LSPAT).
  ['prefix', { time: [{ prefix: '2022-07-13' }] }, EVENT, true],
  ['prefix, other', { time: [{ prefix: '2022-07-99' }] }, EVENT, false],
  ['prefix is case-sensitive', { source: [{ prefix: 'AWS.' }] }, EVENT, false],
  ['empty prefix matches any string', { source: [{ prefix: '' }] }, EVENT, true],
  ['prefix does not match numbers', { detail: { count: [{ prefix: '3' }] } }, EVENT, false],
  ['prefix does not match a missing key', { detail: { missing: [{ prefix: '' }] } }, EVENT, false],
  ['prefix over an array', { resources: [{ prefix: 'arn:aws:ec2' }] }, EVENT, true],
  ['prefix with equals-ignore-case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.E' } }] }, EVENT, true],
  ['prefix with equals-ignore-case, other', { source: [{ prefix: { 'equals-ignore-case': 'AWS.S' } }] }, EVENT, false],
  // suffix (eb-create-pattern-operators).
  ['suffix', { detail: { file: [{ suffix: '.txt' }] } }, EVENT, true],
  ['suffix, other', { detail: { file: [{ suffix: '.png' }] } }, EVENT, false],
  ['suffix is case-sensitive', { detail: { file: [{ suffix: '.TXT' }] } }, EVENT, false],
  ['suffix with equals-ignore-case', { detail: { file: [{ suffix: { 'equals-ignore-case': '.TXT' } }] } }, EVENT, true],
  ['suffix with equals-ignore-case, other', { detail: { file: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, EVENT, false],
  // equals-ignore-case (eb-create-pattern-operators).
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, EVENT, true],
  ['equals-ignore-case, other text', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, EVENT, false],
  ['equals-ignore-case does not match numbers', { detail: { count: [{ 'equals-ignore-case': '300' }] } }, EVENT, false],
  // anything-but: matches every value but those listed, including null, but not a missing key (LSPAT).
  ['anything-but string', { detail: { state: [{ 'anything-but': 'stopped' }] } }, EVENT, true],
  ['anything-but string, the listed value', { detail: { state: [{ 'anything-but': 'running' }] } }, EVENT, false],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'pending'] }] } }, EVENT, true],
  ['anything-but list, a listed value', { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, EVENT, false],
  ['anything-but number', { detail: { count: [{ 'anything-but': 100 }] } }, EVENT, true],
  ['anything-but number, the listed value', { detail: { count: [{ 'anything-but': 300 }] } }, EVENT, false],
  ['anything-but number list', { detail: { count: [{ 'anything-but': [100, 200] }] } }, EVENT, true],
  ['anything-but number list, listed', { detail: { count: [{ 'anything-but': [100, 300] }] } }, EVENT, false],
  ['anything-but string matches a number', { detail: { count: [{ 'anything-but': 'init' }] } }, EVENT, true],
  ['anything-but matches null', { detail: { nothing: [{ 'anything-but': 'init' }] } }, EVENT, true],
  ['anything-but does not match a missing key', { detail: { missing: [{ 'anything-but': 'init' }] } }, EVENT, false],
  ['anything-but over an array: one element outside', { detail: { tags: [{ 'anything-but': 'red' }] } }, EVENT, true],
  ['anything-but over an array: all listed', { detail: { tags: [{ 'anything-but': ['red', 'green'] }] } }, EVENT, false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'stop' } }] } }, EVENT, true],
  ['anything-but prefix, has it', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, EVENT, false],
  ['anything-but prefix list', { detail: { state: [{ 'anything-but': { prefix: ['stop', 'run'] } }] } }, EVENT, false],
  ['anything-but prefix matches numbers', { detail: { count: [{ 'anything-but': { prefix: 'init' } }] } }, EVENT, true],
  ['anything-but prefix matches null', { detail: { nothing: [{ 'anything-but': { prefix: 'init' } }] } }, EVENT, true],
  ['anything-but suffix', { detail: { file: [{ 'anything-but': { suffix: '.png' } }] } }, EVENT, true],
  ['anything-but suffix, has it', { detail: { file: [{ 'anything-but': { suffix: '.txt' } }] } }, EVENT, false],
  ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['STOPPED'] } }] } }, EVENT, true],
  ['anything-but equals-ignore-case, same text', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['RUNNING'] } }] } }, EVENT, false],
  ['anything-but wildcard', { detail: { file: [{ 'anything-but': { wildcard: '*/init/*' } }] } }, EVENT, true],
  ['anything-but wildcard, matches it', { detail: { file: [{ 'anything-but': { wildcard: '*/dir/*' } }] } }, EVENT, false],
  ['anything-but wildcard list', { detail: { file: [{ 'anything-but': { wildcard: ['*.png', '*/dir/*'] } }] } }, EVENT, false],
  // numeric: ranges over numbers only, never strings (eb-create-pattern-operators; LSPAT).
  ['numeric =', { detail: { count: [{ numeric: ['=', 300] }] } }, EVENT, true],
  ['numeric =, other', { detail: { count: [{ numeric: ['=', 301] }] } }, EVENT, false],
  ['numeric <', { detail: { count: [{ numeric: ['<', 301] }] } }, EVENT, true],
  ['numeric <, at the bound', { detail: { count: [{ numeric: ['<', 300] }] } }, EVENT, false],
  ['numeric <=, at the bound', { detail: { count: [{ numeric: ['<=', 300] }] } }, EVENT, true],
  ['numeric <=, above', { detail: { count: [{ numeric: ['<=', 299.5] }] } }, EVENT, false],
  ['numeric >', { detail: { count: [{ numeric: ['>', 0] }] } }, EVENT, true],
  ['numeric >, at the bound', { detail: { count: [{ numeric: ['>', 300] }] } }, EVENT, false],
  ['numeric >=, at the bound', { detail: { count: [{ numeric: ['>=', 300] }] } }, EVENT, true],
  ['numeric >=, below', { detail: { count: [{ numeric: ['>=', 300.001] }] } }, EVENT, false],
  ['numeric range', { detail: { ratio: [{ numeric: ['>', 0, '<=', 5] }] } }, EVENT, true],
  ['numeric range, outside', { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, EVENT, false],
  ['numeric range, closed lower bound', { detail: { ratio: [{ numeric: ['>=', 0.25, '<', 1] }] } }, EVENT, true],
  ['numeric range, open lower bound', { detail: { ratio: [{ numeric: ['>', 0.25, '<', 1] }] } }, EVENT, false],
  ['numeric does not match a numeric string', { detail: { count: [{ numeric: ['>', 0] }] } }, { detail: { count: '300' } }, false],
  ['numeric negative numbers', { detail: { v: [{ numeric: ['<', -1.5] }] } }, { detail: { v: -2 } }, true],
  ['numeric compares numerically, not as text', { detail: { v: [{ numeric: ['>', 9] }] } }, { detail: { v: 10 } }, true],
  // exists (eb-create-pattern-operators; LSPAT): true = a leaf value is there; false = missing at any depth.
  ['exists true', { detail: { state: [{ exists: true }] } }, EVENT, true],
  ['exists true on null', { detail: { nothing: [{ exists: true }] } }, EVENT, true],
  ['exists true, missing', { detail: { missing: [{ exists: true }] } }, EVENT, false],
  ['exists true, empty array', { detail: { emptyList: [{ exists: true }] } }, EVENT, false],
  ['exists true on an object is not a leaf', { detail: { nested: [{ exists: true }] } }, EVENT, false],
  ['exists false, missing', { detail: { missing: [{ exists: false }] } }, EVENT, true],
  ['exists false, present', { detail: { state: [{ exists: false }] } }, EVENT, false],
  ['exists false, parent missing', { absent: { child: [{ exists: false }] } }, EVENT, true],
  ['exists false on an empty array', { detail: { emptyList: [{ exists: false }] } }, EVENT, true],
  ['exists false in a list with a value', { detail: { state: [{ exists: false }, 'running'] } }, EVENT, true],
  ['anything-but or exists false, missing', { detail: { missing: [{ 'anything-but': 'x' }, { exists: false }] } }, EVENT, true],
  // cidr: IPv4 and IPv6 ranges over strings (eb-create-pattern-operators; LSPAT).
  ['cidr IPv4', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, EVENT, true],
  ['cidr IPv4, outside', { detail: { ip: [{ cidr: '10.0.1.0/24' }] } }, EVENT, false],
  ['cidr IPv4 /32', { detail: { ip: [{ cidr: '10.0.0.255/32' }] } }, EVENT, true],
  ['cidr IPv4 /0 matches any IPv4', { detail: { ip: [{ cidr: '0.0.0.0/0' }] } }, EVENT, true],
  ['cidr IPv4, odd mask', { detail: { ip: [{ cidr: '10.0.0.128/25' }] } }, EVENT, true],
  ['cidr IPv4, odd mask, outside', { detail: { ip: [{ cidr: '10.0.0.0/25' }] } }, EVENT, false],
  ['cidr: not an address', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { detail: { ip: '10.0.0.256' } }, false],
  ['cidr: a number never matches', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { detail: { ip: 10 } }, false],
  ['cidr IPv6', { detail: { ipv6: [{ cidr: '2001:db8::/64' }] } }, EVENT, true],
  ['cidr IPv6, outside', { detail: { ipv6: [{ cidr: '2001:db9::/64' }] } }, EVENT, false],
  ['cidr IPv6 long form', { detail: { ipv6: [{ cidr: '2001:0db8:0000:0000:0000:0000:0000:0000/32' }] } }, EVENT, true],
  ['cidr IPv6 does not match IPv4', { detail: { ip: [{ cidr: '2001:db8::/64' }] } }, EVENT, false],
  // wildcard: `*` matches any run of characters including `/`; `\*` is a literal star (eb-create-pattern-operators; RULER).
  ['wildcard', { detail: { file: [{ wildcard: '/Users/*/doc.txt' }] } }, EVENT, true],
  ['wildcard crosses slashes', { detail: { file: [{ wildcard: '/Users/*.txt' }] } }, EVENT, true],
  ['wildcard, other', { detail: { file: [{ wildcard: '/Users/*/xdoc.txt' }] } }, EVENT, false],
  ['wildcard, several stars', { detail: { file: [{ wildcard: '*alice*doc*' }] } }, EVENT, true],
  ['wildcard, several stars in the wrong order', { detail: { file: [{ wildcard: '*doc*alice*' }] } }, EVENT, false],
  ['wildcard star alone matches any string', { source: [{ wildcard: '*' }] }, EVENT, true],
  ['wildcard star matches the empty run', { source: [{ wildcard: 'aws.*ec2' }] }, EVENT, true],
  ['wildcard without stars is exact', { source: [{ wildcard: 'aws.ec2' }] }, EVENT, true],
  ['wildcard empty matches only empty', { source: [{ wildcard: '' }] }, EVENT, false],
  ['wildcard escaped star is literal', { v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' }, true],
  ['wildcard escaped star is not a wildcard', { v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' }, false],
  ['wildcard escaped backslash', { v: [{ wildcard: 'a\\\\*' }] }, { v: 'a\\zz' }, true],
  ['wildcard does not match numbers', { detail: { count: [{ wildcard: '3*' }] } }, EVENT, false],
  ['wildcard overlapping parts', { v: [{ wildcard: '*ab*ab' }] }, { v: 'xabab' }, true],
  ['wildcard overlapping parts, too short', { v: [{ wildcard: 'ab*ab' }] }, { v: 'aba' }, false],
  // $or: any of two or more sub-patterns (eb-create-pattern-operators; RULER).
  ['$or first branch', { $or: [{ detail: { state: ['running'] } }, { source: ['x'] }] }, EVENT, true],
  ['$or second branch', { $or: [{ detail: { state: ['stopped'] } }, { source: ['aws.ec2'] }] }, EVENT, true],
  ['$or neither branch', { $or: [{ detail: { state: ['stopped'] } }, { source: ['x'] }] }, EVENT, false],
  ['$or with another key (AND)', { source: ['aws.s3'], $or: [{ region: ['us-east-1'] }, { account: ['1'] }] }, EVENT, false],
  ['$or nested', { detail: { $or: [{ count: [{ numeric: ['<', 10] }] }, { state: ['running'] }] } }, EVENT, true],
  ['$or nested, neither', { detail: { $or: [{ count: [{ numeric: ['<', 10] }] }, { state: ['pending'] }] } }, EVENT, false],
  ['$or with a plain list value is a key', { $or: ['x'] }, { $or: 'x' }, true],
  // SNS filter policies over message attributes, matched by type (sns-subscription-filter-policies).
  ['sns String attribute', { store: ['example_corp'] }, { store: { Type: 'String', Value: 'example_corp' } }, true, 'sns'],
  ['sns String attribute, other', { store: ['other'] }, { store: { Type: 'String', Value: 'example_corp' } }, false, 'sns'],
  ['sns Number attribute, exact', { price: [300] }, { price: { Type: 'Number', Value: '300' } }, true, 'sns'],
  ['sns Number attribute, 300.0', { price: [300] }, { price: { Type: 'Number', Value: '300.0' } }, true, 'sns'],
  ['sns Number attribute is not a string', { price: ['300'] }, { price: { Type: 'Number', Value: '300' } }, false, 'sns'],
  ['sns String attribute is not a number', { price: [300] }, { price: { Type: 'String', Value: '300' } }, false, 'sns'],
  ['sns numeric range', { price: [{ numeric: ['>=', 100, '<', 500] }] }, { price: { Type: 'Number', Value: '300' } }, true, 'sns'],
  ['sns numeric range, outside', { price: [{ numeric: ['>', 300] }] }, { price: { Type: 'Number', Value: '300' } }, false, 'sns'],
  ['sns numbers compare to 5 decimals', { price: [{ numeric: ['=', 1.000001] }] }, { price: { Type: 'Number', Value: '1' } }, true, 'sns'],
  ['sns String.Array, any element', { colour: ['red'] }, { colour: { Type: 'String.Array', Value: '["blue","red"]' } }, true, 'sns'],
  ['sns String.Array, no element', { colour: ['green'] }, { colour: { Type: 'String.Array', Value: '["blue","red"]' } }, false, 'sns'],
  ['sns String.Array, anything-but one outside', { colour: [{ 'anything-but': 'red' }] }, { colour: { Type: 'String.Array', Value: '["blue","red"]' } }, true, 'sns'],
  ['sns String.Array, anything-but all listed', { colour: [{ 'anything-but': ['red', 'blue'] }] }, { colour: { Type: 'String.Array', Value: '["blue","red"]' } }, false, 'sns'],
  ['sns Binary attributes are ignored', { data: [{ exists: true }] }, { data: { Type: 'Binary', Value: 'AAE=' } }, false, 'sns'],
  ['sns prefix', { store: [{ prefix: 'example' }] }, { store: { Type: 'String', Value: 'example_corp' } }, true, 'sns'],
  ['sns prefix, other', { store: [{ prefix: 'corp' }] }, { store: { Type: 'String', Value: 'example_corp' } }, false, 'sns'],
  ['sns suffix', { store: [{ suffix: '_corp' }] }, { store: { Type: 'String', Value: 'example_corp' } }, true, 'sns'],
  ['sns equals-ignore-case', { store: [{ 'equals-ignore-case': 'EXAMPLE_CORP' }] }, { store: { Type: 'String', Value: 'example_corp' } }, true, 'sns'],
  ['sns anything-but prefix', { store: [{ 'anything-but': { prefix: 'ex' } }] }, { store: { Type: 'String', Value: 'example_corp' } }, false, 'sns'],
  ['sns cidr', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: { Type: 'String', Value: '10.1.2.3' } }, true, 'sns'],
  ['sns exists true', { store: [{ exists: true }] }, { store: { Type: 'String', Value: 'x' } }, true, 'sns'],
  ['sns exists false with other attributes', { store: [{ exists: false }] }, { other: { Type: 'String', Value: 'x' } }, true, 'sns'],
  ['sns exists false, no attributes at all', { store: [{ exists: false }] }, {}, false, 'sns'],
  ['sns AND across keys', { store: ['a'], price: [1] }, { store: { Type: 'String', Value: 'a' }, price: { Type: 'Number', Value: '2' } }, false, 'sns'],
  ['sns $or', { $or: [{ store: ['a'] }, { price: [2] }] }, { store: { Type: 'String', Value: 'b' }, price: { Type: 'Number', Value: '2' } }, true, 'sns'],
  // SNS policies on the message body (FilterPolicyScope MessageBody): nested JSON.
  ['sns body nested', { order: { status: ['paid'] } }, { order: { status: 'paid' } }, true, 'sns'],
  ['sns body nested, other', { order: { status: ['paid'] } }, { order: { status: 'new' } }, false, 'sns'],
  ['sns body numeric', { order: { total: [{ numeric: ['>', 10] }] } }, { order: { total: 11 } }, true, 'sns'],
];

describe('pattern language: documented cases', () => {
  it('has at least 150 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });
  it.each(CASES)('%s', (_name, pattern, event, expected, dialect = 'eventbridge') => {
    expect(compilePattern(pattern, dialect).matches(event)).toBe(expected);
    // The JSON text of a pattern compiles to the same matcher.
    expect(matchesPattern(JSON.stringify(pattern), event, dialect)).toBe(expected);
  });
});

type Invalid = [name: string, pattern: unknown, message: RegExp, dialect?: PatternDialect];

const INVALID: Invalid[] = [
  // Leaves must be non-empty arrays; the top level an object (LSPAT *_EXC).
  ['a bare value', { source: 'aws.ec2' }, /"source" must be an object or an array/],
  ['an empty array', { source: [] }, /Empty arrays are not allowed/],
  ['an empty object', { detail: {} }, /Empty objects are not allowed/],
  ['not an object', ['a'], /Filter is not an object/],
  ['not JSON', '{"a": [', /not valid JSON/],
  ['a list inside a leaf', { a: [['x']] }, /Match value must be/],
  // Operators are case-sensitive and known (LSPAT).
  ['an unknown operator', { a: [{ EXISTS: true }] }, /Unrecognized match type EXISTS/],
  ['two operators in one object', { a: [{ prefix: 'a', suffix: 'b' }] }, /Only one match type/],
  ['prefix of a list', { a: [{ prefix: ['x'] }] }, /prefix match pattern must be a string/],
  ['suffix of a number', { a: [{ suffix: 1 }] }, /suffix match pattern must be a string/],
  ['equals-ignore-case of a list', { a: [{ 'equals-ignore-case': ['x'] }] }, /equals-ignore-case match pattern must be a string/],
  ['exists of a string', { a: [{ exists: 'yes' }] }, /exists match pattern must be either true or false/],
  ['anything-but null in a list', { a: [{ 'anything-but': ['x', null] }] }, /Inside anything but list/],
  ['anything-but boolean', { a: [{ 'anything-but': true }] }, /Inside anything but list/],
  ['anything-but empty prefix', { a: [{ 'anything-but': { prefix: '' } }] }, /Null prefix not allowed/],
  ['anything-but ignore-case of numbers', { a: [{ 'anything-but': { 'equals-ignore-case': [1] } }] }, /only strings/],
  ['anything-but with an unknown operator', { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, /Unsupported anything-but pattern/],
  ['numeric of a number', { a: [{ numeric: 10 }] }, /Value of numeric must be an array/],
  ['numeric with two lower bounds', { a: [{ numeric: ['>', 0, '>', 0] }] }, /Bad numeric range operator/],
  ['numeric with an unknown operator', { a: [{ numeric: ['!=', 0] }] }, /Unrecognized numeric range operator/],
  ['numeric with a string value', { a: [{ numeric: ['>', '0'] }] }, /Value of > must be numeric/],
  ['numeric with an empty range', { a: [{ numeric: ['>', 5, '<', 1] }] }, /Bad numeric range/],
  ['cidr without a mask', { a: [{ cidr: '10.0.0.1' }] }, /Malformed CIDR/],
  ['cidr not an address', { a: [{ cidr: 'bad/8' }] }, /Malformed CIDR/],
  ['cidr mask too long', { a: [{ cidr: '10.0.0.0/33' }] }, /Malformed CIDR/],
  ['wildcard with consecutive stars', { a: [{ wildcard: 'a**b' }] }, /Consecutive wildcard characters/],
  ['wildcard with a bad escape', { a: [{ wildcard: 'a\\b' }] }, /Invalid escape character/],
  ['$or with one branch', { $or: [{ a: ['x'] }] }, /at least 2/],
  // SNS limits and dialect (subscription-filter-policy-constraints).
  ['sns more than 5 keys', { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }, /more than 5 keys/, 'sns'],
  ['sns more than 150 combinations', { a: range(10), b: range(4), c: range(4) }, /too complex/, 'sns'],
  ['sns numbers beyond 1e9', { a: [{ numeric: ['>', 2e9] }] }, /between -1.0E9 and 1.0E9/, 'sns'],
  ['sns wildcard', { a: [{ wildcard: 'x*' }] }, /Unrecognized match type wildcard/, 'sns'],
  ['sns anything-but suffix', { a: [{ 'anything-but': { suffix: 'x' } }] }, /Unsupported anything-but pattern/, 'sns'],
];

function range(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `v${i}`);
}

describe('pattern language: invalid patterns', () => {
  it.each(INVALID)('rejects %s', (_name, pattern, message, dialect = 'eventbridge') => {
    let error: unknown;
    try {
      compilePattern(pattern, dialect);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatternError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(dialect === 'sns' ? /^Invalid parameter: FilterPolicy: / : /^Event pattern is not valid\. Reason: /);
  });

  it('says where in the pattern the problem is', () => {
    expect(() => compilePattern({ detail: { state: 'x' } })).toThrow(/at detail\.state/);
  });

  it('rejects nesting in an SNS policy on message attributes', () => {
    expect(() => compilePattern({ a: { b: ['x'] } }, 'sns', { snsScope: 'MessageAttributes' })).toThrow(/must be flat/);
    expect(compilePattern({ a: { b: ['x'] } }, 'sns', { snsScope: 'MessageBody' }).matches({ a: { b: 'x' } })).toBe(true);
  });
});

describe('FilterCriteria of event source mappings', () => {
  const sqs = (body: string): unknown => ({ messageId: '1', body, attributes: {}, eventSource: 'aws:sqs' });

  it('matches an SQS JSON body as JSON', () => {
    const f = compileFilterCriteria({ Filters: [{ Pattern: JSON.stringify({ body: { kind: ['order'] } }) }] }, 'sqs');
    expect(f.matches(sqs('{"kind":"order"}'))).toBe(true);
    expect(f.matches(sqs('{"kind":"refund"}'))).toBe(false);
    // A pattern on body fields drops non-JSON bodies (trap 3).
    expect(f.matches(sqs('kind=order'))).toBe(false);
  });

  it('matches a plain-text SQS body as a string', () => {
    const f = compileFilterCriteria({ Filters: [{ Pattern: '{"body":[{"prefix":"kind="}]}' }] }, 'sqs');
    expect(f.matches(sqs('kind=order'))).toBe(true);
    expect(f.matches(sqs('other'))).toBe(false);
  });

  it('decodes Kinesis data and matches it as JSON', () => {
    const f = compileFilterCriteria({ Filters: [{ Pattern: '{"kinesis":{"data":{"temp":[{"numeric":[">",30]}]}}}' }] }, 'kinesis');
    const record = (data: unknown) => ({ kinesis: { data: Buffer.from(JSON.stringify(data)).toString('base64') }, eventSource: 'aws:kinesis' });
    expect(f.matches(record({ temp: 31 }))).toBe(true);
    expect(f.matches(record({ temp: 20 }))).toBe(false);
  });

  it('matches DynamoDB records as they are, any filter passing', () => {
    const f = compileFilterCriteria({
      Filters: [
        { Pattern: '{"eventName":["INSERT"]}' },
        { Pattern: '{"dynamodb":{"NewImage":{"status":{"S":["done"]}}}}' },
      ],
    }, 'dynamodb');
    expect(f.matches({ eventName: 'INSERT' })).toBe(true);
    expect(f.matches({ eventName: 'MODIFY', dynamodb: { NewImage: { status: { S: 'done' } } } })).toBe(true);
    expect(f.matches({ eventName: 'MODIFY', dynamodb: { NewImage: { status: { S: 'new' } } } })).toBe(false);
  });

  it('passes everything without filters and says which filter is invalid', () => {
    expect(compileFilterCriteria(undefined, 'sqs').matches(sqs('x'))).toBe(true);
    expect(() => compileFilterCriteria({ Filters: [{ Pattern: '{}' }, { Pattern: '{"a":"b"}' }] }, 'sqs')).toThrow(/Filters\[1\]\.Pattern: .*"a" must be an object or an array/);
  });
});
