/* Provider search without reloads: a changed filter fetches the results fragment of the same
 * URL (?partial=1), swaps it in, keeps the URL shareable and announces the new count.
 * Without this script the form is a plain GET form, which is the baseline. */
(function () {
  "use strict";

  var form = document.getElementById("provider-search");
  var status = document.getElementById("provider-search-status");
  if (!form || !status || !window.fetch || !window.history.replaceState || !window.URLSearchParams) return;

  var MESSAGES = {
    en: {
      locating: "Finding your location…",
      noLocation: "We could not get your location. Enter a ZIP code, or a city and state.",
      error: "Error:"
    },
    es: {
      locating: "Buscando su ubicación…",
      noLocation: "No pudimos obtener su ubicación. Escriba un código postal, o una ciudad y un estado.",
      error: "Error:"
    }
  };
  var messages = MESSAGES[(document.documentElement.lang || "en").slice(0, 2)] || MESSAGES.en;
  var controller = null;

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
    announce(fresh.dataset.status);
    document.dispatchEvent(new CustomEvent("providers:updated"));
    return fresh;
  }

  function update(params, moveFocus) {
    if (controller) controller.abort();
    controller = new AbortController();
    var page = form.action + (params.toString() ? "?" + params.toString() : "");
    params.set("partial", "1");
    results().setAttribute("aria-busy", "true");
    fetch(form.action + "?" + params.toString(), {
      signal: controller.signal,
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = swap(html);
        if (moveFocus) {
          var target = fresh.querySelector("#error-summary-h, #results-h");
          if (target) target.focus();
        }
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        window.location.assign(page); // the page itself always works
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update(formParams(), true);
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "procedure") syncSpecialty(event.target);
    update(formParams(), false);
  });

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

  // On a phone the filters fold away under their summary while none is on, so the results
  // are not a long scroll away; without this script they are simply always open.
  var more = form.querySelector(".more-filters");
  if (more && more.getAttribute("data-active") === "0" &&
      window.matchMedia("(max-width: 59.99rem)").matches) {
    more.open = false;
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
