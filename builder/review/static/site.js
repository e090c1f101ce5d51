// factpack review site: type, speaker and match filters, a tooltip per claim on hover and on keyboard focus, and
// the claim a link names (page.html#claim_id) focused on arrival, so its tooltip shows.
// Plain script, no modules: modules are refused from file:// pages.
"use strict";
(function () {
  const marks = Array.from(document.querySelectorAll("mark.claim"));
  const rows = Array.from(document.querySelectorAll("tr[data-claim]"));
  const boxes = Array.from(document.querySelectorAll('#type-filter input[name="type"]'));
  const speaker = document.getElementById("speaker-filter");
  const matched = document.getElementById("match-filter");
  const toggles = Array.from(document.querySelectorAll("button.related-toggle"));
  const shown = document.getElementById("shown");
  let open = null;

  function wanted(element) {
    const types = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
    const who = speaker ? speaker.value : "*";
    return (
      types.has(element.dataset.type) && (who === "*" || element.dataset.speaker === who) && matchWanted(element)
    );
  }

  function matchWanted(element) {
    const kind = matched ? matched.value : "*";
    const grouped = "group" in element.dataset;
    const checked = "factchecks" in element.dataset;
    if (kind === "group") return grouped;
    if (kind === "factcheck") return checked;
    if (kind === "any") return grouped || checked;
    return true;
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
    for (const toggle of toggles) showRelated(toggle);
    if (shown) shown.textContent = count + " of " + rows.length + " claims highlighted";
    if (open && open.mark.classList.contains("off")) hide();
  }

  // A claim's matches show under its row while its button is pressed and the row itself is shown.
  function showRelated(toggle) {
    const panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (panel) panel.hidden = toggle.getAttribute("aria-expanded") !== "true" || toggle.closest("tr").hidden;
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
  if (matched) matched.addEventListener("change", apply);
  for (const toggle of toggles) {
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      showRelated(toggle);
    });
  }

  function focusNamed() {
    let id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; // a malformed fragment names no claim
    }
    const named = id ? document.getElementById(id) : null;
    if (named && named.matches("mark.claim")) named.focus();
  }

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
  window.addEventListener("hashchange", focusNamed);
  apply();
  focusNamed();
  document.documentElement.dataset.ready = "1";
})();
