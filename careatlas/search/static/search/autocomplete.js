/* Search suggestions: turns every input[data-autocomplete] into an ARIA 1.2 combobox.
 * Without this script the search box is a plain GET form, which is the baseline. */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_CHARS = 2;
  var MESSAGES = {
    en: { none: "No suggestions.", some: function (n) { return n + (n === 1 ? " suggestion" : " suggestions") + ", use up and down arrows to review."; } },
    es: { none: "No hay sugerencias.", some: function (n) { return n + (n === 1 ? " sugerencia" : " sugerencias") + ", use las flechas arriba y abajo para revisarlas."; } }
  };
  var messages = MESSAGES[(document.documentElement.lang || "en").slice(0, 2)] || MESSAGES.en;
  var count = 0;

  function enhance(input) {
    if (input.getAttribute("role") === "combobox") return; // already enhanced
    count += 1;
    var listId = (input.id || "search-" + count) + "-suggestions";
    var list = document.createElement("div");
    var status = document.createElement("div");
    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    if (input.labels && input.labels.length) {
      list.setAttribute("aria-label", input.labels[0].textContent.trim());
    }
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    if (input.form) input.form.classList.add("has-autocomplete");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function highlight(index) {
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
        options[active].classList.remove("is-active");
      }
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var option = options[index];
      option.setAttribute("aria-selected", "true");
      option.classList.add("is-active");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function go(index) {
      var url = options[index] && options[index].getAttribute("data-url");
      if (url) window.location.assign(url);
    }

    // Groups (procedures, conditions, specialties, doctors, practices, places), each a
    // role="group" labelled by its heading, inside one listbox (ARIA APG grouped listbox).
    function render(groups) {
      list.textContent = "";
      options = [];
      groups.forEach(function (group, g) {
        var box = document.createElement("ul");
        var heading = document.createElement("li");
        box.setAttribute("role", "group");
        box.className = "autocomplete-group";
        heading.id = listId + "-g" + g;
        heading.className = "autocomplete-heading";
        heading.setAttribute("role", "presentation");
        heading.textContent = group.heading;
        box.setAttribute("aria-labelledby", heading.id);
        box.appendChild(heading);
        group.options.forEach(function (result) {
          var i = options.length;
          var option = document.createElement("li");
          var label = document.createElement("span");
          option.id = listId + "-" + i;
          option.className = "autocomplete-option";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.setAttribute("data-url", result.url);
          label.className = "autocomplete-label";
          label.textContent = result.label;
          option.appendChild(label);
          if (result.detail) {
            var detail = document.createElement("span");
            detail.className = "autocomplete-kind";
            detail.textContent = result.detail;
            option.appendChild(document.createTextNode(" "));
            option.appendChild(detail);
          }
          // mousedown would blur the input and close the list before the click lands.
          option.addEventListener("mousedown", function (event) { event.preventDefault(); });
          option.addEventListener("click", function () { go(i); });
          box.appendChild(option);
          options.push(option);
        });
        list.appendChild(box);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = options.length ? messages.some(options.length) : messages.none;
      if (options.length && document.activeElement === input) open(); else close();
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (controller) controller.abort();
      if (query.length < MIN_CHARS) {
        options = [];
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      controller = new AbortController();
      var url = input.getAttribute("data-autocomplete") + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : { groups: [] }; })
        .then(function (data) { render(data.groups || []); })
        .catch(function (error) { if (error.name !== "AbortError") close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) return;
          event.preventDefault();
          if (!expanded) { open(); if (event.altKey) return; }
          highlight(active + 1 < options.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!options.length) return;
          event.preventDefault();
          if (!expanded) open();
          highlight(active > 0 ? active - 1 : options.length - 1);
          break;
        case "Enter":
          if (expanded && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (expanded) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = "";
            options = [];
            list.textContent = "";
          }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", close);
    input.addEventListener("focus", open);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
