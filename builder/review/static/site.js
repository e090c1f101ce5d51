// factpack review site: type and speaker filters, and a tooltip per claim on hover and on keyboard focus.
// Plain script, no modules: modules are refused from file:// pages.
"use strict";
(function () {
  const marks = Array.from(document.querySelectorAll("mark.claim"));
  const rows = Array.from(document.querySelectorAll("tr[data-claim]"));
  const boxes = Array.from(document.querySelectorAll('#type-filter input[name="type"]'));
  const speaker = document.getElementById("speaker-filter");
  const shown = document.getElementById("shown");
  let open = null;

  function wanted(element) {
    const types = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
    const who = speaker ? speaker.value : "*";
    return types.has(element.dataset.type) && (who === "*" || element.dataset.speaker === who);
  }

  function apply() {
    for (const mark of marks) {
      const on = wanted(mark);
      mark.classList.toggle("off", !on);
      // A hidden highlight is no tab stop; only first pieces are stops at all.
      if (mark.id) mark.tabIndex = on ? 0 : -1;
    }
    let count = 0;
    for (const row of rows) {
      row.hidden = !wanted(row);
      if (!row.hidden) count += 1;
    }
    if (shown) shown.textContent = count + " of " + rows.length + " claims highlighted";
    if (open && open.mark.classList.contains("off")) hide();
  }

  function place(tip, mark) {
    // Under the claim's last line, so the tip never covers the claim it describes.
    const lines = mark.getClientRects();
    const box = lines.length ? lines[lines.length - 1] : mark.getBoundingClientRect();
    tip.style.top = window.scrollY + box.bottom + 6 + "px";
    const width = tip.offsetWidth;
    const left = Math.min(box.left, document.documentElement.clientWidth - width - 8);
    tip.style.left = window.scrollX + Math.max(8, left) + "px";
  }

  function show(mark) {
    if (mark.classList.contains("off")) return;
    const tip = document.getElementById(mark.getAttribute("aria-describedby"));
    if (!tip) return;
    if (open && open.tip !== tip) open.tip.hidden = true;
    tip.hidden = false;
    place(tip, mark);
    open = { tip: tip, mark: mark };
  }

  function hide() {
    if (open) open.tip.hidden = true;
    open = null;
  }

  function claimOf(target) {
    return target instanceof Element ? target.closest("mark.claim") : null;
  }

  for (const box of boxes) box.addEventListener("change", apply);
  if (speaker) speaker.addEventListener("change", apply);

  document.addEventListener("focusin", function (event) {
    const mark = claimOf(event.target);
    if (mark) show(mark);
  });
  document.addEventListener("focusout", function (event) {
    if (claimOf(event.target)) hide();
  });
  // The innermost claim under the pointer wins; leaving it falls back to the focused claim, if any.
  document.addEventListener("mouseover", function (event) {
    const mark = claimOf(event.target);
    const focused = claimOf(document.activeElement);
    if (mark) show(mark);
    else if (focused) show(focused);
    else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  window.addEventListener("resize", function () {
    if (open) place(open.tip, open.mark);
  });
  apply();
  document.documentElement.dataset.ready = "1";
})();
