import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { hold } from "../../lib/runtime/hold";

describe("hold", () => {
  it("disposes what was held under the same name before, and keeps other names", () => {
    const before = tf.memory().numTensors;
    const a = hold("hold-test-a", tf.zeros([2]));
    const b = hold("hold-test-b", tf.ones([2]));
    const again = hold("hold-test-a", tf.zeros([3]));
    expect(a.isDisposed).toBe(true);
    expect(b.isDisposed).toBe(false);
    expect(again.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([b, again]);
  });

  it("keeps a value held again under its own name", () => {
    const x = hold("hold-test-c", tf.zeros([1]));
    expect(hold("hold-test-c", x)).toBe(x);
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});
