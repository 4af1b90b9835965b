/* Provider search without reloads: a changed filter fetches the results fragment of the same
 * URL (?partial=1), swaps it in, keeps the URL shareable and announces the new count once.
 * On a phone the filters fold into a panel whose changes only preview the count ("Show 12
 * results"); the results change when that button (or Search) is pressed. A drop-down moved
 * with the arrow keys searches only once the choice is made (Enter or leaving the list).
 * Without this script the form is a plain GET form, which is the baseline (ADR 0019). */
(function () {
  "use strict";

  var form = document.getElementById("provider-search");
  var status = document.getElementById("provider-search-status");
  if (!form || !status || !window.fetch || !window.history.replaceState || !window.URLSearchParams) return;

  var MESSAGES = {
    en: {
      locating: "Finding your location…",
      noLocation: "We could not get your location. Enter a ZIP code, or a city and state.",
      error: "Error:",
      show: "Show results"
    },
    es: {
      locating: "Buscando su ubicación…",
      noLocation: "No pudimos obtener su ubicación. Escriba un código postal, o una ciudad y un estado.",
      error: "Error:",
      show: "Mostrar resultados"
    }
  };
  var messages = MESSAGES[(document.documentElement.lang || "en").slice(0, 2)] || MESSAGES.en;
  var panel = document.getElementById("finder-filters");
  var apply = form.querySelector(".filters-apply");
  var wide = window.matchMedia("(min-width: 60rem)");
  // The query the results on screen answer, and the fragment fetched for a preview.
  var shown = formParams().toString();
  var preview = null;

  function results() {
    return document.getElementById("provider-results");
  }

  // The form as a query string: what a plain submission sends, minus empty fields.
  function formParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    // "Any specialty" next to a procedure is a choice, not a blank (see ProviderSearchForm).
    if (params.get("procedure") && !params.get("specialty")) params.set("specialty", "");
    return params;
  }

  function announce(text) {
    // Clear first, so the same count said twice in a row is still read out.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function markFields(errors) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (wrapper) {
      var name = wrapper.getAttribute("data-field");
      var list = errors[name] || [];
      var control = form.elements[name];
      var id = (control && control.id ? control.id : "id_" + name) + "_error";
      var message = wrapper.querySelector(".error-message");
      wrapper.classList.toggle("field-error", list.length > 0);
      if (!list.length) {
        if (message) message.remove();
        if (control && control.removeAttribute) control.removeAttribute("aria-invalid");
        return;
      }
      if (!message) {
        message = document.createElement("p");
        message.className = "error-message";
        message.id = id;
        var anchor = wrapper.querySelector("input, select, ul.checks");
        wrapper.insertBefore(message, anchor);
      }
      message.textContent = "";
      list.forEach(function (text) {
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = messages.error + " ";
        message.appendChild(hidden);
        message.appendChild(document.createTextNode(text + " "));
      });
      if (control && control.setAttribute) {
        control.setAttribute("aria-invalid", "true");
        var described = (control.getAttribute("aria-describedby") || "").split(" ");
        if (described.indexOf(id) < 0) {
          described.push(id);
          control.setAttribute("aria-describedby", described.join(" ").trim());
        }
      }
    });
  }

  function swap(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content.getElementById("provider-results");
    if (!fresh) throw new Error("no results in the response");
    results().replaceWith(fresh);
    var errors = JSON.parse(fresh.querySelector("#provider-search-errors").textContent || "{}");
    markFields(errors);
    var location = form.elements.location;
    if (location && !Object.keys(errors).length && fresh.dataset.location !== location.value) {
      location.value = fresh.dataset.location;
    }
    var query = fresh.dataset.query;
    window.history.replaceState(null, "", form.action + (query ? "?" + query : ""));
    var heading = document.getElementById("finder-h");
    if (heading && fresh.dataset.heading) heading.textContent = fresh.dataset.heading;
    if (fresh.dataset.title) document.title = fresh.dataset.title;
    var count = form.querySelector(".filter-count");
    var filters = fresh.dataset.filters;
    if (count && filters !== undefined) count.textContent = filters && filters !== "0" ? " (" + filters + ")" : "";
    announce(fresh.dataset.status); // once per new set of results, never for a preview
    document.dispatchEvent(new CustomEvent("providers:updated"));
    return fresh;
  }

  // Updates and previews each cancel only their own kind: a preview never cancels an update.
  var controllers = {};
  function fetchFragment(params, kind) {
    if (controllers[kind]) controllers[kind].abort();
    controllers[kind] = new AbortController();
    var query = new URLSearchParams(params);
    query.set("partial", "1");
    return fetch(form.action + "?" + query.toString(), {
      signal: controllers[kind].signal,
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    });
  }

  function focusResults() {
    var target = document.querySelector("#error-summary-h, #results-h");
    if (target) target.focus();
  }

  // One fetch per new query: the same query asked again (a change, then Search; the panel
  // folding after "Show results") joins the one under way instead of starting another.
  var pending = null;
  var focusAfter = false;
  function update(params, moveFocus) {
    var key = params.toString();
    var page = form.action + (key ? "?" + key : "");
    if (key === pending) {
      focusAfter = focusAfter || moveFocus;
      return;
    }
    if (key === shown && pending === null) {
      if (moveFocus) focusResults();
      return;
    }
    pending = key;
    focusAfter = moveFocus;
    var ready = preview && preview.key === key ? Promise.resolve(preview.html) : fetchFragment(params, "update");
    results().setAttribute("aria-busy", "true");
    ready
      .then(function (html) {
        shown = key;
        pending = null;
        preview = null;
        swap(html);
        if (focusAfter) focusResults();
        focusAfter = false;
      })
      .catch(function (error) {
        if (error.name === "AbortError") {
          if (pending === key) pending = null;
          return;
        }
        window.location.assign(page); // the page itself always works
      });
  }

  // In the folded panel on a phone a change only says how many results it would give.
  function previewCount(params) {
    var key = params.toString();
    fetchFragment(params, "preview")
      .then(function (html) {
        preview = { key: key, html: html };
        var template = document.createElement("template");
        template.innerHTML = html;
        var fresh = template.content.getElementById("provider-results");
        var count = fresh ? fresh.dataset.count : "";
        if (count === "") apply.textContent = messages.show;
        else if (count === "0") apply.textContent = apply.getAttribute("data-label-none");
        else if (count === "1") apply.textContent = apply.getAttribute("data-label-one");
        else apply.textContent = apply.getAttribute("data-label-many")
          .replace("__N__", Number(count).toLocaleString(document.documentElement.lang || "en"));
      })
      .catch(function () { apply.textContent = messages.show; });
  }

  function folded() {
    return panel && apply && !wide.matches && panel.open;
  }

  function changed(target) {
    if (target.name === "procedure") syncSpecialty(target);
    if (folded() && panel.contains(target)) previewCount(formParams());
    else update(formParams(), false);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (panel && !wide.matches) panel.open = false;
    update(formParams(), true);
  });

  // Arrow keys, Home, End and Page keys walk a closed drop-down through its options, each
  // step a "change" event: the choice counts only when the patient presses Enter or leaves.
  var WALK = ["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];
  var walking = null;
  var committed = {};
  form.addEventListener("focusin", function (event) {
    if (event.target.tagName === "SELECT") committed[event.target.name] = event.target.value;
  });
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.tagName !== "SELECT") return;
    if (WALK.indexOf(event.key) >= 0) walking = target;
    else if (event.key === "Enter") {
      event.preventDefault();
      commit(target);
    }
  });
  form.addEventListener("focusout", function (event) {
    if (event.target.tagName === "SELECT") commit(event.target);
  });
  function commit(select) {
    if (committed[select.name] === select.value) return;
    committed[select.name] = select.value;
    changed(select);
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target === walking) {
      walking = null;
      return; // wait for Enter or focusout
    }
    if (target.tagName === "SELECT") committed[target.name] = target.value;
    changed(target);
  });

  if (panel && apply) {
    apply.addEventListener("click", function () {
      panel.open = false;
      update(formParams(), true);
    });
    panel.addEventListener("toggle", function () {
      if (wide.matches) return;
      apply.hidden = !panel.open;
      apply.textContent = messages.show;
      // Folding the panel without "Show results" still leaves list and form in step.
      if (!panel.open) update(formParams(), false);
    });
    // Beside the results there is room: the filters stay open and apply at once.
    if (wide.matches) panel.open = true;
  }

  // Pages of the same search load in place; other links (wider radius, suggestions) navigate.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#provider-results a[data-partial]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    update(new URL(link.href).searchParams, true);
  });

  // Choosing another procedure moves the specialty along with it, unless the patient
  // picked a different specialty themselves.
  var procedure = form.elements.procedure;
  var specialtyOf = {};
  var previous = procedure ? procedure.value : "";
  if (procedure) {
    (procedure.getAttribute("data-specialties") || "").split(",").forEach(function (pair) {
      var parts = pair.split(":");
      if (parts.length === 2) specialtyOf[parts[0]] = parts[1];
    });
  }
  function syncSpecialty(select) {
    var specialty = form.elements.specialty;
    if (specialty && (specialty.value === "" || specialty.value === specialtyOf[previous])) {
      specialty.value = specialtyOf[select.value] || "";
    }
    previous = select.value;
  }

  // "Use my location": the browser's position, sent once, comes back as the nearest ZIP code.
  var locate = document.getElementById("use-my-location");
  if (locate && navigator.geolocation) {
    locate.closest(".use-location").hidden = false;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      announce(messages.locating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          locate.disabled = false;
          form.elements.location.value =
            position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
          update(formParams(), true);
        },
        function () {
          locate.disabled = false;
          var note = document.getElementById("use-my-location-note");
          if (note) note.textContent = messages.noLocation;
          form.elements.location.focus();
        },
        { maximumAge: 600000, timeout: 15000 }
      );
    });
  }
})();
