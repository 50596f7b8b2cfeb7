// Target input rendering (Input, InputPath, InputTransformer; Scheduler context attributes) for the EventBridge and
// schedule sources. The renderer is pure and lives in the model, so that validation can check targets at synth.
export * from '../../model/target-input';
