// The terminal's size, updated on resize (fixed sizes win, for tests and captures).
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Columns and rows of the output terminal (80×24 when it does not say). */
export function useTerminalSize(fixed: { columns?: number | undefined; rows?: number | undefined } = {}): {
  columns: number;
  rows: number;
} {
  const { stdout } = useStdout();
  const read = (): { columns: number; rows: number } => ({
    columns: fixed.columns ?? (stdout.columns || 80),
    rows: fixed.rows ?? (stdout.rows || 24),
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // `read` only closes over the props and stdout listed here.
  }, [stdout, fixed.columns, fixed.rows]);
  return size;
}
