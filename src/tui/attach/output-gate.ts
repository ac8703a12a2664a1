// ink's stdout while a session may be attached: a stand-in for the terminal that passes
// everything through (size, resize events, isTTY) but drops writes while muted, so no
// throttled dashboard frame lands on tmux's first paint.

/** The stream to give ink's render(), and its switch. */
export interface OutputGate {
  readonly stream: NodeJS.WriteStream;
  /** Drops every write from now on (call before the state change that starts the attach). */
  mute(): void;
  unmute(): void;
  isMuted(): boolean;
}

/** Wraps `stdout`; writes pass until mute(). */
export function createOutputGate(stdout: NodeJS.WriteStream): OutputGate {
  let muted = false;
  const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    if (!muted) return (stdout.write as (...args: unknown[]) => boolean)(chunk, encoding, callback);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
  const stream = new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    stream,
    mute: () => {
      muted = true;
    },
    unmute: () => {
      muted = false;
    },
    isMuted: () => muted,
  };
}
