// Polls `look` for one agent while the preview is open.
import { useEffect, useState } from 'react';
import type { LookResult } from '../../core/protocol/index.js';
import { useRelayActions } from '../context.js';
import { errorText } from '../ui/run-effect.js';

/** How often the preview refreshes. */
export const LOOK_REFRESH_MS = 1000;

/** The latest capture of `target` (or the error), refreshed every LOOK_REFRESH_MS and when `nonce` changes. */
export function useLook(target: string, nonce: number): { result: LookResult | null; error: string | null } {
  const actions = useRelayActions();
  const [view, setView] = useState<{ result: LookResult | null; error: string | null }>({ result: null, error: null });
  useEffect(() => {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = (): void => {
      actions
        .look(target)
        .then(
          (result) => {
            if (!closed) setView({ result, error: null });
          },
          (error: unknown) => {
            if (!closed) setView((previous) => ({ result: previous.result, error: errorText(error) }));
          },
        )
        .finally(() => {
          if (!closed) timer = setTimeout(poll, LOOK_REFRESH_MS);
        });
    };
    poll();
    return () => {
      closed = true;
      clearTimeout(timer);
    };
  }, [actions, target, nonce]);
  return view;
}
