/** The outcome of one case of an exercise's check. */
export interface CaseOutcome {
  /** What the case tries, e.g. `"large log σ² (±30)"`. */
  name: string;
  passed: boolean;
  /** The expected value or range, as text. */
  expected: string;
  /** What the learner's answer gave, as text (or what it threw). */
  actual: string;
  /** What differs, when it failed, e.g. `"entry [1]: 0.25 instead of 0.5"`. */
  detail?: string;
  /** The hint for this case, shown when it failed. */
  hint?: string;
}

/** The two kinds of exercise: write a function, or run an experiment and report its numbers. */
export type ExerciseKind = "function" | "experiment";

/**
 * What {@link check} returns (and shows in the notebook): every case with its outcome, and
 * the hints for the failed ones. In a notebook, the value of a cell that ends with the check
 * prints as one summary line.
 */
export class CheckResult {
  constructor(
    /** The exercise, e.g. `"04.2"`. */
    readonly id: string,
    /** Its title. */
    readonly title: string,
    readonly kind: ExerciseKind,
    readonly cases: CaseOutcome[],
    /** The exercise's own hint, shown when any case failed. */
    readonly hint: string,
    /** For experiments: what the picture must show, to look at in the notebook. */
    readonly lookFor?: string,
  ) {}

  /** True when every case passed. */
  get passed(): boolean {
    return this.cases.length > 0 && this.cases.every((c) => c.passed);
  }

  /** The cases that failed. */
  get failed(): CaseOutcome[] {
    return this.cases.filter((c) => !c.passed);
  }

  /** The hints shown: each failed case's own hint, then the exercise's, without repeats. */
  get hints(): string[] {
    if (this.passed) return [];
    const hints = this.failed.flatMap((c) => (c.hint ? [c.hint] : []));
    if (this.hint) hints.push(this.hint);
    return [...new Set(hints)];
  }

  /** One line, e.g. `exercise 04.2: 4 of 6 cases passed`. */
  summary(): string {
    const n = this.cases.length;
    const ok = n - this.failed.length;
    return `exercise ${this.id}: ${this.passed ? `all ${n} cases passed` : `${ok} of ${n} cases passed`}`;
  }

  /** Node's and Deno's console (and so tslab's and Deno's cell value) print the summary line. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.summary();
  }

  toString(): string {
    return this.summary();
  }
}
