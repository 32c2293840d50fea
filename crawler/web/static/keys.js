// Keyboard shortcuts for the review page. Every action also has a visible button or link.
// j/k move, o/Enter open, a approve, r reject, e edit, / search, ? help, Esc close help.
(function () {
  "use strict";

  function visibleCards() {
    return Array.prototype.filter.call(document.querySelectorAll("article.card"), function (card) {
      // cards folded in a closed <details> (reprints) are skipped until it is opened
      return !card.closest("details:not([open])") && card.offsetParent !== null;
    });
  }

  var storageKey = "sel:" + location.pathname + location.search;
  var cards = [];
  var index = -1;

  function select(i, scroll) {
    cards = visibleCards();
    if (!cards.length) { index = -1; return; }
    index = Math.max(0, Math.min(cards.length - 1, i));
    cards.forEach(function (c) { c.classList.remove("selected"); c.removeAttribute("aria-current"); });
    var card = cards[index];
    card.classList.add("selected");
    card.setAttribute("aria-current", "true");
    if (scroll) { card.scrollIntoView({ block: "nearest" }); }
    try { sessionStorage.setItem(storageKey, String(index)); } catch (e) { /* private mode */ }
  }

  function current() {
    cards = visibleCards();
    return index >= 0 && index < cards.length ? cards[index] : null;
  }

  function submit(selector) {
    var card = current();
    var form = card && card.querySelector(selector);
    if (form) {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  }

  function toggleHelp(show) {
    var help = document.getElementById("shortcuts");
    if (!help) { return; }
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var saved = 0;
    try { saved = parseInt(sessionStorage.getItem(storageKey) || "0", 10) || 0; } catch (e) { saved = 0; }
    if (document.body.classList.contains("article-page")) { saved = 0; }
    select(saved, false);
    var help = document.getElementById("help-button");
    if (help) { help.addEventListener("click", function () { toggleHelp(); }); }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      toggleHelp(false);
      if (typing(event.target)) { event.target.blur(); }
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var card;
    switch (event.key) {
      case "j": select(index + 1, true); break;
      case "k": select(index - 1, true); break;
      case "o":
      case "Enter":
        card = current();
        if (card && card.dataset.href && !document.body.classList.contains("article-page")) {
          location.href = card.dataset.href;
        } else { return; }
        break;
      case "a": submit("form.approve-form"); break;
      case "r": submit("form.reject-form"); break;
      case "e":
        var title = document.getElementById("edit-title");
        if (title) { title.focus(); title.select(); }
        else {
          card = current();
          if (card && card.dataset.href) { location.href = card.dataset.href + "#edit"; } else { return; }
        }
        break;
      case "/":
        var box = document.getElementById("search-box");
        if (box) { box.focus(); box.select(); } else { return; }
        break;
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  // Arriving at an article page through `e` from the queue: focus the title field.
  window.addEventListener("load", function () {
    if (location.hash === "#edit") {
      var title = document.getElementById("edit-title");
      if (title) { title.focus(); }
    }
  });
})();
