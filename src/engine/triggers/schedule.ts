// Schedule expressions (rate, cron, at; time zones) for the schedule source. The parser is pure and lives in the
// model, so that validation can check expressions at synth without the engine.
export * from '../../model/schedule-expression';
