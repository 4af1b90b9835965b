/* The map of provider search results and profiles: Leaflet (served from our origin) with
 * numbered, keyboard-reachable markers. The map comes after the list and stays hidden unless
 * this script shows it; the list holds everything the map shows. Leaflet's script and styles
 * load only when the map comes near the screen, so they never delay the list (ADR 0019). */
(function () {
  "use strict";

  if (!window.Promise || !document.querySelector) return;
  var map = null;
  var observer = null;
  var leaflet = null;

  function fetched(element) {
    return new Promise(function (resolve, reject) {
      element.onload = resolve;
      element.onerror = reject;
    });
  }

  // Leaflet's stylesheet goes before ours (map.css overrides some of its rules).
  function loadLeaflet(canvas) {
    if (window.L) return Promise.resolve();
    if (leaflet) return leaflet;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = canvas.getAttribute("data-leaflet-css");
    var ours = document.querySelector("link[data-map-css]");
    var cssLoaded = fetched(css);
    if (ours) ours.parentNode.insertBefore(css, ours);
    else document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = canvas.getAttribute("data-leaflet-js");
    var scriptLoaded = fetched(script);
    document.head.appendChild(script);
    leaflet = Promise.all([cssLoaded, scriptLoaded]);
    leaflet.catch(function () { leaflet = null; });
    return leaflet;
  }

  function markerIcon(text) {
    var element = document.createElement("span");
    element.className = "map-marker-label";
    element.textContent = text;
    var width = Math.max(30, 14 + 9 * text.length);
    return L.divIcon({
      className: "map-marker",
      html: element,
      iconSize: [width, 30],
      iconAnchor: [width / 2, 15],
      popupAnchor: [0, -15]
    });
  }

  function popupContent(place) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var list = document.createElement("ul");
    place.providers.forEach(function (provider) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = provider.url;
      link.textContent = provider.number + ". " + provider.name;
      item.appendChild(link);
      if (provider.distance) item.appendChild(document.createTextNode(" · " + provider.distance));
      list.appendChild(item);
    });
    var address = document.createElement("p");
    address.textContent = place.address;
    box.appendChild(list);
    box.appendChild(address);
    return box;
  }

  // Shows the map's box where the list ends, and draws in it once it is near the screen.
  function prepare() {
    if (map) {
      map.remove();
      map = null;
    }
    if (observer) {
      observer.disconnect();
      observer = null;
    }
    var canvas = document.getElementById("provider-map");
    var data = document.getElementById("provider-map-data");
    if (!canvas || !data) return;
    var places = JSON.parse(data.textContent);
    if (!places.length) return;
    var box = canvas.closest(".provider-map");
    box.hidden = false;
    function start() {
      loadLeaflet(canvas)
        .then(function () {
          if (document.getElementById("provider-map") === canvas) draw(canvas, places);
        })
        .catch(function () { box.hidden = true; }); // the list still says everything
    }
    if (!window.IntersectionObserver) return start();
    observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      observer = null;
      start();
    }, { rootMargin: "200px" });
    observer.observe(box);
  }

  function draw(canvas, places) {
    map = L.map(canvas, { scrollWheelZoom: false, zoomSnap: 0.5 });
    L.tileLayer(canvas.getAttribute("data-tiles"), {
      attribution: canvas.getAttribute("data-attribution"),
      maxZoom: 18
    }).addTo(map);

    // The view first: Leaflet creates marker elements only once the map has one.
    map.fitBounds(
      places.map(function (place) { return [place.lat, place.lon]; }),
      { padding: [32, 32], maxZoom: 13 }
    );
    places.forEach(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        icon: markerIcon(place.text),
        keyboard: true,
        riseOnHover: true
      }).addTo(map);
      var element = marker.getElement();
      element.setAttribute("aria-label", place.label);
      element.setAttribute("aria-haspopup", "dialog");
      marker.bindPopup(popupContent(place), { closeButton: true, autoPanPadding: [20, 20] });
      // Opened from the keyboard, the popup takes focus so its links come next in Tab order;
      // closing it (Escape or the close button) returns focus to the marker.
      marker.on("popupopen", function (event) {
        var popup = event.popup.getElement();
        var close = popup.querySelector(".leaflet-popup-close-button");
        if (close) close.setAttribute("aria-label", canvas.getAttribute("data-close-label"));
        // Leaflet hears Escape only while the map itself has focus, not a link in a popup.
        if (!popup.hasAttribute("data-escape")) {
          popup.setAttribute("data-escape", "");
          L.DomEvent.on(popup, "keydown", function (key) {
            if (key.key === "Escape") marker.closePopup();
          });
        }
        if (document.activeElement === element) {
          var link = popup.querySelector(".map-popup a");
          if (link) link.focus();
        }
      });
      marker.on("popupclose", function (event) {
        var focused = document.activeElement;
        if (focused === document.body || event.popup.getElement().contains(focused)) {
          element.focus();
        }
      });
    });
  }

  document.addEventListener("providers:updated", prepare);
  prepare();
})();
