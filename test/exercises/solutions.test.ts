import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import * as exercises from "../../lib/exercises/index";
import { reportText } from "../../lib/exercises/report";
import { initBackend } from "../../lib/runtime/backend";
import type { Answers } from "../../solutions/answers";

// Every exercise the kit ships has a solution that passes its check and a typical mistake
// that fails it and shows a hint. Solutions live in solutions/NN-topic.ts, one file per notebook.

const solutionsDir = path.resolve(__dirname, "..", "..", "solutions");
const files = fs.readdirSync(solutionsDir).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort();

const solutions: Answers = {};
const mistakes: Answers = {};

beforeAll(async () => {
  // The notebooks' backend (wasm here): experiments that train, with the starter's quick settings, take seconds on it.
  await initBackend();
  for (const file of files) {
    const mod = (await import(path.join(solutionsDir, file))) as { solutions: Answers; mistakes: Answers };
    Object.assign(solutions, mod.solutions);
    Object.assign(mistakes, mod.mistakes);
  }
});

describe("the exercises' solutions", () => {
  it("exist for every exercise, with a mistake for each, and no answers for unknown exercises", () => {
    const ids = exercises.list().map((e) => e.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(Object.keys(solutions).sort()).toEqual([...ids].sort());
    expect(Object.keys(mistakes).sort()).toEqual([...ids].sort());
  });

  for (const ex of exercises.list()) {
    it(`${ex.id} (${ex.notebook}): the solution passes, the mistake fails with a hint, no tensors left`, async () => {
      const before = tf.memory().numTensors;
      const good = exercises.check(ex.id, await solutions[ex.id](), { show: false });
      expect(good.failed, good.summary() + "\n" + reportText(good)).toEqual([]);
      expect(good.passed).toBe(true);
      expect(good.cases.length).toBeGreaterThanOrEqual(ex.kind === "function" ? 4 : 1);
      const bad = exercises.check(ex.id, await mistakes[ex.id](), { show: false });
      expect(bad.passed, reportText(bad)).toBe(false);
      expect(bad.hints.length).toBeGreaterThan(0);
      expect(reportText(bad)).toContain(`Hint: ${bad.hints[0]}`);
      expect(reportText(bad)).toMatch(/FAIL .*expected .*, got /);
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  }
});
