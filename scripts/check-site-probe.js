// Evaluated by scripts/check-site.ts inside every page of the built site (an expression whose
// value is a promise of the page's findings): waits for MathJax and plotly.js, and reports what
// it saw, with the plots whose hover panel scripts/check-site.ts then tries with the mouse.
(async () => {
  const problems = [];
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  const until = async (test, ms) => {
    for (const end = Date.now() + ms; !test() && Date.now() < end; ) await sleep(100);
    return test();
  };
  const mathJax = window.MathJax;
  if (mathJax?.Hub) await new Promise((done) => mathJax.Hub.Queue(done));
  const formulas = document.querySelectorAll(".MathJax_Display, .MathJax_CHTML, .MathJax").length;
  const prose = document.body.cloneNode(true);
  prose.querySelectorAll("pre, code, script, .highlight, .output_area, .nboutput").forEach((e) => e.remove());
  for (const raw of ["$$", "\\(", "\\["]) if (prose.textContent.includes(raw)) problems.push(`raw ${raw} left in the text: a formula was not typeset`);

  const plots = Array.from(document.querySelectorAll(".vaekit-plot"));
  await until(() => plots.every((p) => p._fullData), 30_000);
  const drawn = plots.filter((p) => p._fullData?.length > 0 && p.querySelector(".main-svg"));
  if (drawn.length < plots.length) problems.push(`${plots.length - drawn.length} of ${plots.length} figures not drawn`);

  const hoverPlots = Array.from(document.querySelectorAll("canvas[id$='-image']"))
    .map((canvas) => canvas.id.replace(/-image$/, ""))
    .filter((id) => document.getElementById(id)?._fullData);
  return {
    figures: drawn.length,
    formulas,
    hoverPlots,
    links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.href),
    hasPrevOrNext: document.querySelector("link[rel=prev], link[rel=next]") !== null,
    problems,
  };
})();
