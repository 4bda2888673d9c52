import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe as group, expect, it } from "vitest";
import {
  argumentError,
  checkFinite,
  checkFiniteArray,
  checkInteger,
  checkLength,
  checkNonEmpty,
  checkOneOf,
  checkPositive,
  checkPositiveInteger,
  checkRank,
  checkRankAtLeast,
  checkSameShape,
  describe,
  toTensor,
} from "../../lib/runtime/checks";

/** The error `f` throws (fails the test when it throws nothing). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw");
}

group("the kit's argument checks", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("argumentError writes the one form, as an Error unless given another class", () => {
    const err = argumentError("f", "x", "a number", "\"a\"");
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('Error in f: x must be a number, but got "a".');
    expect(argumentError("f", "x", "a number", "NaN", RangeError)).toBeInstanceOf(RangeError);
  });

  it("describe shows tensors by shape, arrays by content, typed arrays by length, objects by class", () => {
    tf.tidy(() => {
      expect(describe(tf.zeros([2, 3]))).toBe("a tensor of shape [2, 3]");
    });
    expect(describe([[1, 2], [3]])).toBe("[[1,2],[3]]");
    expect(describe(Array.from({ length: 40 }, (_, i) => i))).toMatch(/^\[0,1,2,.{40,}\.\.\.$/);
    expect(describe(new Float32Array(5))).toBe("a Float32Array of length 5");
    expect(describe("abc")).toBe('"abc"');
    expect(describe({ a: 1 })).toBe("an object");
    expect(describe(new Map())).toBe("a Map");
    expect(describe(() => 1)).toBe("a function");
    expect([NaN, undefined, null, 2.5].map(describe)).toEqual(["NaN", "undefined", "null", "2.5"]);
  });

  it("checkPositiveInteger", () => {
    expect(checkPositiveInteger("f", "options.k", 3)).toBe(3);
    expect(thrown(() => checkPositiveInteger("f", "options.k", 0)).message).toBe("Error in f: options.k must be a positive integer, but got 0.");
    expect(thrown(() => checkPositiveInteger("f", "k", 1.5, RangeError))).toBeInstanceOf(RangeError);
  });

  it("checkInteger", () => {
    expect(checkInteger("f", "seed", -4)).toBe(-4);
    expect(thrown(() => checkInteger("f", "seed", 0.5)).message).toBe("Error in f: seed must be an integer, but got 0.5.");
    expect(thrown(() => checkInteger("f", "steps", 1, 2)).message).toBe("Error in f: steps must be an integer >= 2, but got 1.");
    expect(thrown(() => checkInteger("f", "steps", "3", 2, RangeError)).message).toBe('Error in f: steps must be an integer >= 2, but got "3".');
  });

  it("checkFinite", () => {
    expect(checkFinite("f", "y", -1)).toBe(-1);
    expect(thrown(() => checkFinite("f", "y", Infinity)).message).toBe("Error in f: y must be a finite number, but got Infinity.");
    expect(thrown(() => checkFinite("f", "threshold", -1, 0)).message).toBe("Error in f: threshold must be a finite number >= 0, but got -1.");
  });

  it("checkPositive", () => {
    expect(checkPositive("f", "learningRate", Infinity)).toBe(Infinity);
    expect(thrown(() => checkPositive("f", "learningRate", 0)).message).toBe("Error in f: learningRate must be a positive number, but got 0.");
    expect(thrown(() => checkPositive("f", "std", NaN, RangeError))).toBeInstanceOf(RangeError);
  });

  it("checkOneOf", () => {
    expect(checkOneOf("f", "split", "test", ["train", "test"])).toBe("test");
    expect(thrown(() => checkOneOf("f", "split", "valid", ["train", "test"])).message).toBe('Error in f: split must be "train" or "test", but got "valid".');
    expect(thrown(() => checkOneOf("f", "mode", 1, ["a", "b", "c"])).message).toBe('Error in f: mode must be one of "a", "b", "c", but got 1.');
  });

  it("checkLength", () => {
    expect(() => checkLength("f", "labels", [1, 2], 2)).not.toThrow();
    expect(thrown(() => checkLength("f", "labels", [1], 2, "one per point")).message).toBe(
      "Error in f: labels must be of length 2 (one per point), but got length 1.",
    );
    expect(thrown(() => checkLength("f", "x", undefined, 3)).message).toBe("Error in f: x must be of length 3, but got undefined.");
  });

  it("checkNonEmpty", () => {
    expect(checkNonEmpty("f", "values", new Float64Array(2))).toBe(2);
    expect(thrown(() => checkNonEmpty("f", "values", [])).message).toBe("Error in f: values must be a non-empty array of numbers, but got an empty array.");
    expect(thrown(() => checkNonEmpty("f", "dims", 3, "dimension indices")).message).toBe(
      "Error in f: dims must be a non-empty array of dimension indices, but got 3.",
    );
  });

  it("checkFiniteArray", () => {
    expect(checkFiniteArray("f", "code", [0, 1])).toBe(2);
    expect(thrown(() => checkFiniteArray("f", "code", [0, NaN])).message).toBe("Error in f: code[1] must be a finite number, but got NaN.");
    expect(thrown(() => checkFiniteArray("f", "code", [])).message).toBe("Error in f: code must be a non-empty array of numbers, but got an empty array.");
  });

  it("checkRank", () => {
    tf.tidy(() => {
      expect(() => checkRank("f", "x", tf.zeros([2, 3]), 2)).not.toThrow();
      expect(thrown(() => checkRank("f", "x", tf.zeros([6]), 2, "[K, batch]")).message).toBe("Error in f: x must be rank 2 ([K, batch]), but got shape [6].");
      expect(thrown(() => checkRank("f", "x", [[1]] as never, 2)).message).toBe("Error in f: x must be rank 2, but got [[1]].");
    });
  });

  it("checkRankAtLeast", () => {
    tf.tidy(() => {
      expect(() => checkRankAtLeast("f", "x", tf.zeros([2]), 1)).not.toThrow();
      expect(thrown(() => checkRankAtLeast("f", "x", tf.scalar(1), 1)).message).toBe("Error in f: x must be of rank >= 1, but got shape [].");
    });
  });

  it("checkSameShape", () => {
    tf.tidy(() => {
      expect(() => checkSameShape("f", "mu", tf.zeros([2, 3]), "logVar", tf.zeros([2, 3]))).not.toThrow();
      expect(thrown(() => checkSameShape("f", "mu", tf.zeros([2, 3]), "logVar", tf.zeros([3, 3]))).message).toBe(
        "Error in f: mu and logVar must be of the same shape, but got mu [2, 3] and logVar [3, 3].",
      );
    });
  });

  it("toTensor passes tensors through, converts numeric arrays and rejects anything else", () => {
    tf.tidy(() => {
      const t = tf.ones([1, 2]);
      expect(toTensor("f", "x", t)).toBe(t);
      const fromArrays = toTensor("f", "x", [[1, 2], [3, 4]]);
      expect(fromArrays.shape).toEqual([2, 2]);
      expect(fromArrays.dtype).toBe("float32");
      expect(toTensor("f", "x", new Float32Array([1, 2, 3])).shape).toEqual([3]);
      expect(toTensor("f", "x", 2).shape).toEqual([]);
    });
    expect(thrown(() => toTensor("f", "mu", "abc")).message).toBe('Error in f: mu must be a tensor or a rectangular array of numbers, but got "abc".');
    expect(thrown(() => toTensor("f", "mu", [[1, 2], [3]])).message).toBe("Error in f: mu must be a tensor or a rectangular array of numbers, but got [[1,2],[3]].");
    expect(thrown(() => toTensor("f", "mu", [["a"]] as never)).message).toMatch(/mu must be a tensor or a rectangular array of numbers, but got \[\["a"\]\]/);
  });
});
