/* Pick a place's coordinates on a map: in the Wagtail Location form and on the signed
   edit link. Any pair of inputs named ...latitude / ...longitude in the same fieldset
   (or form) gets a map under it: click or drag the marker to set both, typing moves the
   marker. Leaflet is loaded from our static files only when such a pair exists. */
(function () {
  "use strict";

  function pairs() {
    var found = [];
    document.querySelectorAll("input[name$='latitude']").forEach(function (lat) {
      var scope = lat.closest("fieldset, section, form") || document;
      var lon = scope.querySelector("input[name$='longitude']");
      if (lon && lat.name.replace(/latitude$/, "") === lon.name.replace(/longitude$/, "")) {
        found.push([lat, lon]);
      }
    });
    return found;
  }

  function load(settings, done) {
    if (window.L) return done();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = settings.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = settings.leafletJs;
    script.onload = done;
    document.head.appendChild(script);
  }

  function picker(lat, lon, settings) {
    var box = document.createElement("div");
    box.className = "map-picker-canvas";
    box.style.height = "320px";
    box.style.margin = ".5rem 0 1rem";
    box.setAttribute("data-testid", "map-picker");
    box.setAttribute("role", "application");
    box.setAttribute("aria-label", settings.label);
    var anchor = lon.closest(".w-field__wrapper, .form-field, p, div") || lon;
    anchor.parentNode.insertBefore(box, anchor.nextSibling);
    var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : null;
    var map = L.map(box).setView(start || settings.centre, start ? 16 : 12);
    L.tileLayer(settings.tileUrl, { attribution: settings.attribution, maxZoom: settings.maxZoom }).addTo(map);
    var marker = null;
    function place(latlng, write) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: settings.label }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(latlng);
      }
      if (write) {
        lat.value = latlng.lat.toFixed(6);
        lon.value = latlng.lng.toFixed(6);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
        lon.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    if (start) place(start, false);
    map.on("click", function (event) { place(event.latlng, true); });
    function typed() {
      var a = parseFloat(lat.value.replace(",", ".")), b = parseFloat(lon.value.replace(",", "."));
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        place([a, b], false);
        map.panTo([a, b]);
      }
    }
    lat.addEventListener("input", typed);
    lon.addEventListener("input", typed);
  }

  function start() {
    var node = document.getElementById("map-picker-settings");
    var found = pairs();
    if (!node || !found.length) return;
    var settings = JSON.parse(node.textContent);
    load(settings, function () {
      found.forEach(function (pair) { picker(pair[0], pair[1], settings); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
