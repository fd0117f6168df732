// Injected into a built page by tests/e2e/test_site.py: once the page and the theme's
// script have run, list every table and code block wider than the room it has
// (scrolling sideways, or reaching past the content column), and every name in a
// table (code without a space) laid out on more than one line, and every sidebar label
// cut short (an ellipsis instead of the end of a name), and how many notes meant for
// GitHub readers only (class github-only) are visible. The report is JSON in
// a "pre" element with the id overflow-report, which `chromium --dump-dom` prints.
window.addEventListener("load", () => setTimeout(() => {
  const content = document.querySelector(".md-content");
  const right = content.getBoundingClientRect().right;
  const boxes = content.querySelectorAll(".md-typeset__scrollwrap, table, pre > code");
  const overflowing = [];
  for (const box of boxes) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    const juts = box.getBoundingClientRect().right > right + 1;
    if (scrolls || juts) {
      let heading = box.closest(".md-typeset__scrollwrap, pre") || box;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) {
        heading = heading.previousElementSibling || heading.parentElement;
      }
      overflowing.push({
        under: heading ? heading.id : "",
        element: box.tagName.toLowerCase(),
        width: box.scrollWidth,
        room: box.clientWidth,
        text: box.textContent.replace(/\s+/g, " ").trim().slice(0, 80),
      });
    }
  }
  const brokenNames = [];
  for (const name of content.querySelectorAll("table code")) {
    if (!/\s/.test(name.textContent) && name.getClientRects().length > 1) {
      brokenNames.push(name.textContent);
    }
  }
  const cutLabels = [];
  for (const label of document.querySelectorAll(".md-sidebar .md-nav__link .md-ellipsis")) {
    if (label.scrollWidth > label.clientWidth + 1) {
      cutLabels.push(label.textContent.trim());
    }
  }
  const report = document.createElement("pre");
  report.id = "overflow-report";
  report.textContent = JSON.stringify({
    viewport: window.innerWidth,
    headings: content.querySelectorAll("h1, h2").length,
    tables: content.querySelectorAll(".md-typeset__scrollwrap table").length,
    code_blocks: content.querySelectorAll("pre > code").length,
    overflowing,
    broken_names: brokenNames,
    cut_labels: cutLabels,
    github_only: document.querySelectorAll(".github-only").length,
    github_only_shown: [...document.querySelectorAll(".github-only")]
      .filter((note) => note.getClientRects().length > 0).length,
  });
  document.body.appendChild(report);
}, 200));
