import * as tf from "@tensorflow/tfjs";
import { inspect } from "node:util";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as exercises from "../../lib/exercises/index";
import { reportHtml, reportText } from "../../lib/exercises/report";
import { difference, readValue } from "../../lib/exercises/values";

// The framework behind kit.exercises, on two small exercises registered here: a function
// (the sum of squares of each row) and an experiment (one number in a range, one derived).

beforeAll(async () => {
  await tf.setBackend("cpu");
});

afterEach(() => {
  vi.restoreAllMocks();
});

const sumOfSquares = exercises.register(
  exercises.functionExercise({
    id: "99.1",
    notebook: "99-test",
    title: "Sum of squares per row",
    task: "Return the sum of squares of each row of x.",
    signature: "(x: tf.Tensor2D) => tf.Tensor1D",
    hint: "Square, then sum over axis 1.",
    cases: [
      { name: "one row", args: () => [tf.tensor2d([[1, 2]])], expected: () => [5] },
      { name: "two rows: one value per row", args: () => [tf.tensor2d([[1, 2], [3, 0]])], expected: (x) => (x as tf.Tensor).square().sum(1), hint: "Sum over axis 1 only." },
      { name: "large values", args: () => [tf.tensor2d([[1e15, 0]])], expected: () => [1e30], tolerance: { rel: 1e-3 } },
    ],
  }),
);

const gap = exercises.register(
  exercises.experimentExercise({
    id: "99.2",
    notebook: "99-test",
    title: "A measured gap",
    task: "Measure a and b.",
    hint: "a should be about 10, b about 4.",
    lookFor: "two bars",
    quantities: [
      { key: "a", label: "a", range: [9, 11] },
      { key: "gap", label: "a - b", range: [5, 7], derive: (m) => m.a - m.b, hint: "b is about 4." },
    ],
  }),
);

describe("reading and comparing answers", () => {
  it("reads tensors, numbers, typed arrays and nested arrays with their shapes", () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    expect(readValue(t)).toEqual({ shape: [2, 2], values: [1, 2, 3, 4] });
    t.dispose();
    expect(readValue(2.5)).toEqual({ shape: [], values: [2.5] });
    expect(readValue(new Float32Array([1, 2]))).toEqual({ shape: [2], values: [1, 2] });
    expect(readValue([[1], [2]])).toEqual({ shape: [2, 1], values: [1, 2] });
    expect(readValue([[1], [2, 3]])).toBeUndefined();
    expect(readValue("1")).toBeUndefined();
  });

  it("names the first entry that differs, a wrong shape, or how far a single number is off", () => {
    expect(difference({ shape: [2], values: [1, 2] }, { shape: [2], values: [1, 2.00001] })).toBeUndefined();
    expect(difference({ shape: [2], values: [1, 3] }, { shape: [2], values: [1, 2] })).toBe("entry [1]: 3 instead of 2");
    expect(difference({ shape: [], values: [3] }, { shape: [2], values: [1, 2] })).toBe("shape [] instead of [2]");
    expect(difference({ shape: [1], values: [3] }, { shape: [], values: [2.5] })).toBe("off by 0.5");
    expect(difference({ shape: [], values: [3] }, { shape: [1], values: [3] })).toBeUndefined();
    expect(difference({ shape: [1, 1], values: [3] }, { shape: [1], values: [3] })).toBe("shape [1, 1] instead of [1]");
    expect(difference({ shape: [], values: [NaN] }, { shape: [], values: [1] })).toBe("not the expected number");
    expect(difference({ shape: [], values: [Infinity] }, { shape: [], values: [Infinity] })).toBeUndefined();
  });
});

describe("exercises.check on a function exercise", () => {
  it("passes a right answer on every case and leaves no tensors", () => {
    const before = tf.memory().numTensors;
    const result = exercises.check("99.1", (x: tf.Tensor2D) => x.square().sum(1), { show: false });
    expect(result.passed).toBe(true);
    expect(result.cases.map((c) => c.passed)).toEqual([true, true, true]);
    expect(result.hints).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reports each failed case with the expected and actual value and the hints, and accepts plain numbers", () => {
    const result = exercises.check("99.1", (x: tf.Tensor2D) => x.square().sum().dataSync()[0], { show: false });
    expect(result.passed).toBe(false);
    expect(result.cases.map((c) => c.passed)).toEqual([true, false, true]);
    const failed = result.failed[0];
    expect(failed).toMatchObject({ name: "two rows: one value per row", expected: "[5, 9] (shape [2])", actual: "14", detail: "shape [] instead of [2]" });
    expect(result.hints).toEqual(["Sum over axis 1 only.", "Square, then sum over axis 1."]);
    const text = reportText(result);
    expect(text).toContain("FAIL  two rows: one value per row: expected [5, 9] (shape [2]), got 14 (shape [] instead of [2])");
    expect(text).toContain("Hint: Sum over axis 1 only.");
    expect(reportHtml(result)).toContain("<b>Hint:</b> Square, then sum over axis 1.");
  });

  it("turns a throwing, async or non-numeric answer into failed cases, never an exception", () => {
    const before = tf.memory().numTensors;
    const threw = exercises.check("99.1", (x: tf.Tensor2D) => { x.square(); throw new Error("not yet"); }, { show: false });
    expect(threw.cases.every((c) => !c.passed && c.actual === "threw Error: not yet")).toBe(true);
    const asyncAnswer = exercises.check("99.1", async (x: tf.Tensor2D) => x.sum(1), { show: false });
    expect(asyncAnswer.failed[0]).toMatchObject({ actual: "a Promise" });
    expect(exercises.check("99.1", () => "five", { show: false }).failed[0]).toMatchObject({ actual: '"five"', detail: "return a tensor, a number or an array of numbers" });
    const notAFunction = exercises.check("99.1", 5, { show: false });
    expect(notAFunction.cases).toHaveLength(1);
    expect(notAFunction.failed[0].expected).toBe("a function (x: tf.Tensor2D) => tf.Tensor1D");
    expect(notAFunction.hints[0]).toContain('check("99.1", myFunction)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it("shows the report through the display adapter (printed outside a notebook), unless told not to", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    exercises.check("99.1", (x: tf.Tensor2D) => x.square().sum(1));
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toMatch(/^Exercise 99\.1 · Sum of squares per row: every case passed/);
    exercises.check("99.1", (x: tf.Tensor2D) => x.square().sum(1), { show: false });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("prints the result object as one summary line, as a cell's value", () => {
    const result = exercises.check("99.1", (x: tf.Tensor2D) => x.sum(1), { show: false });
    expect(inspect(result)).toBe("exercise 99.1: 0 of 3 cases passed");
    expect(String(result)).toBe("exercise 99.1: 0 of 3 cases passed");
  });
});

describe("exercises.check on an experiment", () => {
  it("checks each measured or derived number against its range", () => {
    expect(exercises.check("99.2", { a: 10, b: 4 }, { show: false }).passed).toBe(true);
    const result = exercises.check("99.2", { a: tf.scalar(10), b: 2 }, { show: false });
    expect(result.cases.map((c) => [c.passed, c.actual, c.detail])).toEqual([[true, "10", undefined], [false, "8", "above the range"]]);
    expect(result.hints).toEqual(["b is about 4.", "a should be about 10, b about 4."]);
    expect(reportText(result)).toContain("Look at your figure: two bars");
  });

  it("reports missing and non-numeric measurements, and an answer that is not an object", () => {
    const result = exercises.check("99.2", { b: "4" }, { show: false });
    expect(result.cases.map((c) => [c.actual, c.detail])).toEqual([["missing", "add a to the object you pass"], ["NaN", "not a finite number"]]);
    const notAnObject = exercises.check("99.2", [10, 4], { show: false });
    expect(notAnObject.failed[0].expected).toBe("an object { a } of numbers");
  });

  it("takes a plain number when it asks for one", () => {
    const one = exercises.experimentExercise({ id: "99.3", notebook: "99-test", title: "one", task: "t", hint: "h", quantities: [{ key: "x", label: "x", range: [1, 2] }] });
    expect(one.run(1.5).map((c) => c.passed)).toEqual([true]);
    expect(one.run(3).map((c) => c.passed)).toEqual([false]);
  });
});

describe("the registry", () => {
  it("lists exercises by id, per notebook, and holds the kit's own", () => {
    expect(exercises.list("99-test")).toEqual([sumOfSquares, gap]);
    expect(exercises.list().some((e) => e.id === "04.1")).toBe(true);
    expect(exercises.exercise("99.2")).toBe(gap);
  });

  it("refuses an unknown id or a malformed one, in the kit's error form", () => {
    expect(() => exercises.check("98.7", () => 0)).toThrow(/^Error in exercises\.check: id must be one of "\d\d\.\d+", .*"04\.1", .*"99\.2", but got "98\.7"\.$/);
    expect(() => exercises.register({ ...gap, id: "4.1" })).toThrow('Error in exercises.register: exercise.id must be of the form "NN.k", e.g. "06.1", but got "4.1".');
  });

  it("refuses definitions without cases or with an empty range", () => {
    const info = { id: "99.4", notebook: "99-test", title: "t", task: "t", hint: "h" };
    expect(() => exercises.functionExercise({ ...info, signature: "() => number", cases: [] })).toThrow(/cases of 99\.4 must be a non-empty array/);
    expect(() => exercises.functionExercise({ ...info, signature: "() => number", cases: [{ name: "c", args: () => [] }] })).toThrow(/must give exactly one of expected and property, but got neither/);
    expect(() => exercises.experimentExercise({ ...info, quantities: [{ key: "x", label: "x", range: [2, 1] }] })).toThrow(/range of 99\.4's "x" must be \[low, high\]/);
  });

  it("checks a property when a case has no single right value", () => {
    const sampler = exercises.functionExercise({
      id: "99.5", notebook: "99-test", title: "t", task: "t", hint: "h", signature: "(n: number) => tf.Tensor1D",
      cases: [{ name: "mean near 0", args: () => [2000], property: { describe: "mean within 0.1 of 0", test: (v) => (Math.abs(v.values.reduce((a, b) => a + b, 0) / v.values.length) < 0.1 ? undefined : "mean too far from 0") } }],
    });
    expect(sampler.run((n: number) => tf.randomNormal([n], 0, 1, "float32", 1)).map((c) => c.passed)).toEqual([true]);
    expect(sampler.run((n: number) => tf.ones([n]))[0]).toMatchObject({ passed: false, expected: "mean within 0.1 of 0", detail: "mean too far from 0" });
  });
});
