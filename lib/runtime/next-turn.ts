/**
 * Node's `setImmediate` yields to the event loop without the timers' 1 ms delay. Deno's does
 * not let signal listeners run (a notebook interrupt reached `fit` only seconds later, or
 * not at all), its `setTimeout(0)` does; so Deno and other runtimes use `setTimeout`.
 */
const useSetImmediate = typeof setImmediate === "function" && !("Deno" in globalThis);

/** One turn of the event loop: lets timers, abort signals and display messages through. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => (useSetImmediate ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
