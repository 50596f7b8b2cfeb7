// The time the lifecycle rules compare dates against; tests replace it through `setClock`.

let clock: () => Date = () => new Date();

/** Replace the clock (tests). Pass undefined to restore `new Date()`. */
export function setClock(now?: () => Date): void {
  clock = now ?? (() => new Date());
}

/** The time rules compare lifecycle dates against. */
export function currentTime(): Date {
  return clock();
}
