// The few EventEmitter methods a pino destination is asked for (pino calls emit("message") on a stream that
// has emit; users listen for "error"), without node:events, so the module loads in Deno and anywhere else.
// One difference from Node's EventEmitter, on purpose: emit("error") with no listener returns false instead
// of throwing, because the destination promises never to throw into the code that logs.

/** A function called with an event's arguments. */
// deno-lint-ignore no-explicit-any
export type Listener = (...args: any[]) => void;

/** The EventEmitter methods pino and its users call on a destination: on, once, off, emit ("error" events). */
export class Emitter {
  readonly #listeners = new Map<string | symbol, Listener[]>();

  /** Calls `listener` on every `event`. */
  on(event: string | symbol, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  /** Same as {@link Emitter.on}. */
  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }

  /** Calls `listener` on the next `event` only. */
  once(event: string | symbol, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  /** Removes `listener` (its last registration) from `event`. */
  off(event: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(event);
    const at = list?.lastIndexOf(listener) ?? -1;
    if (at >= 0) this.#listeners.set(event, list!.filter((_, i) => i !== at));
    return this;
  }

  /** Same as {@link Emitter.off}. */
  removeListener(event: string | symbol, listener: Listener): this {
    return this.off(event, listener);
  }

  /** Calls the listeners of `event` in order; false when there were none. */
  // deno-lint-ignore no-explicit-any
  emit(event: string | symbol, ...args: any[]): boolean {
    const list = this.#listeners.get(event);
    if (list === undefined || list.length === 0) return false;
    for (const listener of list) listener(...args);
    return true;
  }

  /** How many listeners `event` has. */
  listenerCount(event: string | symbol): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
}
