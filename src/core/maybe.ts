/**
 * A value now, or a promise of it later. The verification path answers from its cache without waiting for anything,
 * and an `async` function there would still cost a promise and a turn of the microtask queue at every level it
 * crosses (the verifier, the auth service, the verify endpoint, the hot lane): so those return a value when they have
 * one and a promise only when a store lookup, a rate limit or a JWT made them wait (bench/README.md, "Answers
 * without a promise").
 *
 * A function that returns a MaybePromise may also throw: callers `await` it inside `try` (or use `settle`). The
 * promise is always a native one (an async function's own): `then` and `settle` tell the two apart with `instanceof`.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `f` of the value: at once if it is here, when it arrives if it is a promise. */
export const then = <T, U>(v: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> =>
  (v instanceof Promise ? v.then(f) : f(v));

/** `f()`, with whatever it throws or rejects with turned into `onError`'s answer: never throws, never rejects. */
export const settle = <T>(f: () => MaybePromise<T>, onError: (e: unknown) => T): MaybePromise<T> => {
  try {
    const v = f();
    return v instanceof Promise ? v.catch(onError) : v;
  } catch (e) {
    return onError(e);
  }
};
