import { describe, expect, it } from "vitest";
import { tfjsCopiesWarning, tfjsCoreCopies } from "../../lib/runtime/tfjs-copies";

const app = "/app/node_modules/@tensorflow/tfjs-core";
const kit = "/kit/node_modules/@tensorflow/tfjs-core";

describe("tfjsCoreCopies", () => {
  it("finds the distinct tfjs-core folders among loaded files", () => {
    const files = [`${app}/dist/tf-core.node.js`, "/app/node_modules/@tensorflow/tfjs/dist/index.js", `${kit}/dist/tf-core.node.js`, `${app}/dist/ops/add.js`];
    expect(tfjsCoreCopies(files)).toEqual([app, kit]);
    expect(tfjsCoreCopies(["/app/node_modules/@tensorflow/tfjs-core-extra/dist/x.js", "/app/index.js"])).toEqual([]);
  });

  it("sees exactly one copy in this process", () => {
    expect(tfjsCoreCopies().length).toBeLessThanOrEqual(1);
  });
});

describe("tfjsCopiesWarning", () => {
  it("is silent for one copy and names both copies and the fix for two", () => {
    expect(tfjsCopiesWarning([app])).toBeUndefined();
    const warning = tfjsCopiesWarning([app, kit]);
    expect(warning).toContain(`2 copies of TensorFlow.js are loaded (${app}, ${kit})`);
    expect(warning).toContain("npm install --install-links path/to/lib");
  });
});
