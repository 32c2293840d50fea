// The review page's keyboard and its decisions without reloads. Every action also has a visible
// button or link, and every form still works without this script (POST, then a redirect back).
//
// Keys are read by physical position (event.code), so they work in the Russian layout too (J gives
// «о» there, and stays "next"). They are ignored while focus is in a field, a button or a link: there
// Enter and Space do what that element does.
//   j / k          next / previous card          o, Enter   open the selected article
//   a              approve under the suggested rubric
//   1 … 9, 0       approve under rubric 1 … 10 (numbers shown on the page)
//   r              reject                        u          undo the last decision
//   e              edit                          /          search      ?   help     Esc  close / leave a field
//   Shift+J / K    move the selected item down / up (next bulletin page)
(function () {
  "use strict";

  var ACTIONS = /\/article\/\d+\/(approve|reject|restore|unapprove|undo|up|down|rubric)$/;
  var storageKey = "sel:" + location.pathname + location.search;
  var index = -1;
  var selectedId = null;
  var busy = false;
  var waiting = [];  // keys pressed while a decision was on its way: played after it, in order

  function cards() {
    return Array.prototype.filter.call(document.querySelectorAll(".card[data-id]"), function (card) {
      // decided originals shown for context, and reprints folded in a closed <details>, are skipped
      return !card.classList.contains("context") && !card.closest("details:not([open])") && card.offsetParent !== null;
    });
  }

  function headerHeight() {
    var header = document.querySelector("header.top");
    if (!header || !/sticky|fixed/.test(getComputedStyle(header).position)) { return 0; }  // phones: it scrolls away
    return header.getBoundingClientRect().height;
  }

  // Keep a card whole in view and never under the sticky header.
  function reveal(card) {
    var top = headerHeight() + 8;
    var box = card.getBoundingClientRect();
    var room = window.innerHeight - top - 8;
    if (box.top < top || box.height > room) {
      window.scrollBy(0, box.top - top);
    } else if (box.bottom > window.innerHeight - 8) {
      window.scrollBy(0, box.bottom - window.innerHeight + 8);
    }
  }

  function select(i, scroll) {
    var list = cards();
    if (!list.length) { index = -1; selectedId = null; return; }
    index = Math.max(0, Math.min(list.length - 1, i));
    document.querySelectorAll(".card.selected").forEach(function (c) {
      c.classList.remove("selected");
      c.removeAttribute("aria-current");
    });
    var card = list[index];
    card.classList.add("selected");
    card.setAttribute("aria-current", "true");
    selectedId = card.dataset.id;
    if (scroll) { reveal(card); }
    try { sessionStorage.setItem(storageKey, selectedId); } catch (e) { /* private mode */ }
  }

  function selectId(id, fallbackIndex, scroll) {
    var list = cards();
    for (var i = 0; i < list.length; i++) {
      if (list[i].dataset.id === id) { select(i, scroll); return; }
    }
    select(fallbackIndex, scroll);
  }

  function current() {
    var list = cards();
    return index >= 0 && index < list.length ? list[index] : null;
  }

  function submit(form) {
    if (!form) { return false; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true })); }
    return true;
  }

  function submitIn(selector) {
    var card = current();
    return submit(card && card.querySelector(selector));
  }

  function approveUnder(n) {
    var card = current();
    var form = card && card.querySelector("form.approve-form");
    var select = form && form.querySelector("select[name=rubric]");
    if (!select || n > select.options.length) { return false; }
    select.selectedIndex = n - 1;
    return submit(form);
  }

  function toggleHelp(show) {
    var help = document.getElementById("shortcuts");
    if (!help) { return; }
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  function interactive(target) {
    if (!target || target === document.body) { return false; }
    if (target.isContentEditable) { return true; }
    return /^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY|IFRAME)$/.test(target.tagName);
  }

  // --- decisions without reloads ---------------------------------------------------------------

  function showMessage(html) {
    var box = document.getElementById("flashes");
    if (!box) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;  // our own template's HTML: scraped text in it is escaped by the server
    var message = holder.firstElementChild;
    if (!message) { return; }
    box.insertBefore(message, box.firstChild);
    while (box.children.length > 3) { box.removeChild(box.lastChild); }
  }

  function updateCounts(counts) {
    if (!counts) { return; }
    var left = document.getElementById("count-left");
    var today = document.getElementById("count-today");
    if (left) { left.textContent = counts.left; }
    if (today) { today.textContent = counts.decided_today; }
  }

  // The page's <main> fetched again and swapped in place: the scroll position and the selection stay.
  function refreshMain() {
    return fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("main");
        var main = document.querySelector("main");
        if (fresh && main) { main.innerHTML = fresh.innerHTML; }
      });
  }

  function removeCard(card) {
    var group = card.closest(".rubric-group");
    card.parentNode.removeChild(card);
    if (group) {
      var left = group.querySelectorAll(".card[data-id]").length;
      var count = group.querySelector("h2 small");
      if (count) { count.textContent = left; }
      if (!left) { group.parentNode.removeChild(group); }
    }
    if (!document.querySelector(".card[data-id]")) {
      var empty = document.getElementById("empty");
      if (empty) { empty.hidden = false; }
    }
  }

  function afterDecision(form, verb, json) {
    showMessage(json.message);
    updateCounts(json.counts);
    if (!json.ok) { return Promise.resolve(); }
    var card = form.closest(".card[data-id]");
    var at = index;
    var simple = document.body.classList.contains("queue-page") && card && !card.classList.contains("folded") &&
      !card.classList.contains("context") && /^(approve|reject)$/.test(verb) &&
      !(card.nextElementSibling && card.nextElementSibling.matches("details.duplicates"));
    if (simple) {
      removeCard(card);
      select(at, true);
      return Promise.resolve();
    }
    var keep = verb === "undo" ? String(json.id) : selectedId;  // an undone item comes back selected
    return refreshMain().then(function () { selectId(keep, at, true); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !window.fetch || !(form instanceof HTMLFormElement)) { return; }
    var match = ACTIONS.exec(new URL(form.action, location.href).pathname);
    if (!match || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var data = new FormData(form);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        // an answer in JSON (a decision, or an error said in Russian) is shown in place; anything
        // else (a 403 for an expired form, ...) is left to the ordinary post
        if ((response.headers.get("Content-Type") || "").indexOf("json") < 0) { throw new Error("no json"); }
        return response.json();
      })
      .then(function (json) { return afterDecision(form, match[1], json); })
      .catch(function () { busy = false; waiting = []; form.submit(); })  // the ordinary post shows what went wrong
      .then(function () { busy = false; replay(); });
  });

  // --- keys ------------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    var saved = null;
    try { saved = sessionStorage.getItem(storageKey); } catch (e) { saved = null; }
    if (document.body.classList.contains("article-page") || !saved) { select(0, false); }
    else { selectId(saved, 0, true); }
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("#help-button")) { toggleHelp(); }
    });
    // just issued a bulletin: its file downloads once (the link stays in the message)
    if (/[?&]issued=/.test(location.search)) {
      var download = document.querySelector("#flashes a.download");
      if (download) { download.click(); }
      history.replaceState(null, "", location.pathname);
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.code === "Escape") {
      toggleHelp(false);
      if (interactive(event.target)) { event.target.blur(); }
      return;
    }
    if (interactive(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
    var press = { code: event.code, key: event.key, shiftKey: event.shiftKey };
    if (busy) {
      // a fast monitor's next key waits for the decision before it, instead of acting on a stale card
      if (waiting.length < 5) { waiting.push(press); }
      event.preventDefault();
      return;
    }
    if (handle(press)) { event.preventDefault(); }
  });

  function replay() {
    while (waiting.length && !busy) { handle(waiting.shift()); }
  }

  // One key, by its physical position; true when it did something.
  function handle(event) {
    var code = event.code;
    var digit = /^(Digit|Numpad)(\d)$/.exec(code);
    var done = true;
    var card;
    if (event.key === "?" || (event.shiftKey && code === "Slash")) {
      toggleHelp();  // "?" wherever the layout puts it, or Shift and the key of "/" (the US place of "?")
    } else if (digit && !event.shiftKey) {
      done = approveUnder(digit[2] === "0" ? 10 : parseInt(digit[2], 10));
    } else if (event.shiftKey) {
      if (code === "KeyJ") { done = submitIn("form.move-down"); }
      else if (code === "KeyK") { done = submitIn("form.move-up"); }
      else { done = false; }
    } else {
      switch (code) {
        case "KeyJ": select(index + 1, true); break;
        case "KeyK": select(index - 1, true); break;
        case "KeyO":
        case "Enter":
        case "NumpadEnter":
          card = current();
          if (card && card.dataset.href && !document.body.classList.contains("article-page")) {
            location.href = card.dataset.href;
          } else { done = false; }
          break;
        case "KeyA": done = submitIn("form.approve-form"); break;
        case "KeyR": done = submitIn("form.reject-form"); break;
        case "KeyU": done = submit(document.querySelector("#flashes form.undo-form")); break;
        case "KeyE":
          var title = document.getElementById("edit-title");
          if (title) { title.focus(); title.select(); }
          else {
            card = current();
            if (card && card.dataset.href) { location.href = card.dataset.href + "#edit"; } else { done = false; }
          }
          break;
        case "Slash":
          var box = document.getElementById("search-box");
          if (box) { box.focus(); box.select(); } else { done = false; }
          break;
        default: done = false;
      }
    }
    return done;
  }

  // Arriving at an article page through `e` from the queue: focus the title field.
  window.addEventListener("load", function () {
    if (location.hash === "#edit") {
      var title = document.getElementById("edit-title");
      if (title) { title.focus(); }
    }
  });
})();
