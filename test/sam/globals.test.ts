// SAM's Globals merging rules and the properties Globals may set.
import { checkGlobals, mergeGlobals } from '../../src/load/globals';

describe('merging Globals into a function', () => {
  it('merges maps key by key, the function winning', () => {
    const merged = mergeGlobals(
      { Environment: { Variables: { TABLE: 'global', STAGE: 'dev' } } },
      { Environment: { Variables: { STAGE: 'prod', EXTRA: 'x' } } },
    );
    expect(merged).toEqual({ Environment: { Variables: { TABLE: 'global', STAGE: 'prod', EXTRA: 'x' } } });
  });

  it('appends the function\'s lists to the global ones, without removing duplicates', () => {
    expect(mergeGlobals({ Layers: ['a', 'b'] }, { Layers: ['a', 'c'] })).toEqual({ Layers: ['a', 'b', 'a', 'c'] });
  });

  it('takes scalars, intrinsic functions and mismatched types from the function', () => {
    expect(mergeGlobals({ Runtime: 'nodejs20.x' }, { Runtime: 'python3.12' })).toEqual({ Runtime: 'python3.12' });
    expect(mergeGlobals({ CodeUri: { Ref: 'Code' } }, { CodeUri: { Bucket: 'b', Key: 'k' } })).toEqual({ CodeUri: { Bucket: 'b', Key: 'k' } });
    expect(mergeGlobals({ Environment: { Variables: { A: '1' } } }, { Environment: { 'Fn::If': ['C', {}, {}] } }))
      .toEqual({ Environment: { 'Fn::If': ['C', {}, {}] } });
    expect(mergeGlobals({ Layers: ['a'] }, { Layers: { Ref: 'LayerList' } })).toEqual({ Layers: { Ref: 'LayerList' } });
  });

  it('keeps global values the function does not set', () => {
    expect(mergeGlobals({ Timeout: 10, MemorySize: 256 }, { MemorySize: 512 })).toEqual({ Timeout: 10, MemorySize: 512 });
  });
});

describe('checking the Globals section', () => {
  it('rejects the properties SAM does not allow in Globals, saying where to put them', () => {
    expect(() => checkGlobals({ Function: { Role: 'arn:aws:iam::123456789012:role/x' } }, 'template.yaml'))
      .toThrow(/template\.yaml: Globals\.Function\.Role is not supported: SAM's Globals cannot set Role, Policies, FunctionName, Events; set Role on each function/);
    expect(() => checkGlobals({ Function: { Events: {} } }, 't')).toThrow(/Globals\.Function\.Events is not supported/);
  });

  it('rejects unknown sections and properties', () => {
    expect(() => checkGlobals({ Lambda: {} }, 't')).toThrow(/Globals\.Lambda is not a SAM Globals section/);
    expect(() => checkGlobals({ Function: { Handlr: 'x' } }, 't')).toThrow(/Globals\.Function\.Handlr is not supported: it is not a property/);
  });

  it('accepts the sections of other resource types without reading them', () => {
    expect(checkGlobals({ Api: { Cors: '*' }, Function: { Timeout: 5 } }, 't')).toEqual({ Api: { Cors: '*' }, Function: { Timeout: 5 } });
  });
});
