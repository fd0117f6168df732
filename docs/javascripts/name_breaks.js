// Long class names in the sidebar (AsyncRedisIdempotencyStore) may break between the
// words of their CamelCase, as "AsyncRedisIdempotency / Store", rather than wherever
// the line runs out. The labels are plain text: each becomes text nodes and <wbr>s.
document.querySelectorAll(".md-sidebar .md-nav__link .md-ellipsis").forEach((label) => {
  const parts = label.textContent.split(/(?<=[a-z])(?=[A-Z])/);
  if (parts.length < 2) return;
  label.replaceChildren(...parts.flatMap((part, index) =>
    index ? [document.createElement("wbr"), part] : [part]));
});
