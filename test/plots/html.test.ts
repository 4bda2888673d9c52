import { describe, expect, it } from "vitest";
import { figureHtml, plotlyJs, plotlyScript, scriptJson, standaloneHtml } from "../../lib/plots/html";
import { Figure } from "../../lib/plots/figure";

const fig: Figure = {
  data: [{ type: "scatter", x: Float32Array.from([1, 2]), y: [3, NaN], name: "</script><b>" }],
  layout: { title: { text: "t" }, height: 300 },
};

describe("figureHtml", () => {
  it("draws the figure into a div with Plotly.newPlot, without plotly.js by default", () => {
    const html = figureHtml(fig, { divId: "plot-1" });
    expect(html).toContain('<div id="plot-1"');
    expect(html).toContain('var id = "plot-1"');
    expect(html).toContain("Plotly.newPlot(id, data, layout, config)");
    expect(html).toContain('"responsive":true');
    // The toolbar shows only on hover, so it never covers a title in a static view.
    expect(html).toContain('"displayModeBar":"hover"');
    expect(html).toContain("height:300px");
    expect(html).not.toContain("plotly.js v");
    expect(html.length).toBeLessThan(5000);
  });

  it("embeds plotly.js only when asked, with AMD define unset while it runs", () => {
    const html = figureHtml(fig, { includePlotly: true });
    expect(html).toContain("plotly.js v");
    expect(html.length).toBeGreaterThan(plotlyJs().length);
    expect(html.indexOf("window.define = undefined")).toBeLessThan(html.indexOf("plotly.js v"));
    expect(html).toContain("window.define = __vaekitSavedDefine");
    expect(html.indexOf("plotly.js v")).toBeLessThan(html.indexOf("Plotly.newPlot"));
  });

  it("uses a fresh div id per call", () => {
    const ids = [figureHtml(fig), figureHtml(fig)].map((h) => /<div id="([^"]+)"/.exec(h)![1]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("writes typed arrays as arrays and cannot be broken out of the script", () => {
    const html = figureHtml(fig, { divId: "p" });
    expect(html).toContain('"x":[1,2]');
    expect(html).toContain('"y":[3,null]');
    expect(html).not.toContain("</script><b>");
    expect(scriptJson("</script>\u2028")).toBe('"\\u003c/script>\\u2028"');
    expect(JSON.parse(scriptJson({ a: "</script>" }))).toEqual({ a: "</script>" });
  });

  it("is pure ASCII, with non-ASCII text escaped in JSON and HTML", () => {
    const html = figureHtml(
      { data: [{ type: "scatter", name: "−ELBO z₁" }], layout: { title: { text: "β" } } },
      { includePlotly: true, divId: "é" },
    );
    expect(/^[\x00-\x7f]*$/.test(html)).toBe(true);
    expect(html).toContain('"name":"\\u2212ELBO z\\u2081"');
    expect(html).toContain('<div id="&#233;"');
    expect(plotlyJs()).toContain("/[yzafpn\\u00b5mkMGTPEZY]/");
  });

  it("rejects a non-figure", () => {
    expect(() => figureHtml({} as Figure)).toThrow("Error in figureHtml: fig must be a figure { data: object[], layout: object }, but got an object.");
  });
});

describe("plotlyScript / standaloneHtml", () => {
  it("escapes a literal </script in the bundle", () => {
    expect(plotlyScript('var s = "</script>";')).toContain('var s = "<\\/script>";');
  });

  it("makes a complete page with the title and plotly.js inline", () => {
    const page = standaloneHtml(fig);
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page).toContain("<title>t</title>");
    expect(page).toContain("plotly.js v");
    expect(page).toContain("Plotly.newPlot");
  });
});
