// The event-pattern matcher (EventBridge patterns, SNS filter policies, FilterCriteria) for the trigger sources. The
// matcher is pure and lives in the model, so that validation can check patterns at synth without the engine.
export * from '../../model/event-pattern';
