// A scripted TmuxRunner for unit tests: records every command and answers from a handler.
import type { TmuxResult, TmuxRunner } from '../../../src/transports/tmux/runner.js';

export type Answer = Partial<TmuxResult> | Error;

export class FakeRunner implements TmuxRunner {
  readonly calls: string[][] = [];
  closed = false;

  constructor(private readonly answer: (args: string[]) => Answer | Promise<Answer> = () => ({})) {}

  async run(args: string[]): Promise<TmuxResult> {
    this.calls.push(args);
    const answer = await this.answer(args);
    if (answer instanceof Error) throw answer;
    return { stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', code: answer.code ?? 0 };
  }

  close(): void {
    this.closed = true;
  }
}
