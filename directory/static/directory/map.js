/* Directory maps (Leaflet, served from static/vendor): the map of a search, with every
   marker also in the numbered list under it, and the printed map of "My list".
   Tiles come from the MAP_TILE_URL setting (json_script "map-settings"). */
(function () {
  "use strict";

  var BRUSSELS = [50.8466, 4.3528];

  function settings() {
    var node = document.getElementById("map-settings");
    return node ? JSON.parse(node.textContent) : {};
  }

  function baseMap(element, config) {
    var map = L.map(element, { scrollWheelZoom: false, keyboard: true }).setView(BRUSSELS, 12);
    L.tileLayer(config.tileUrl, {
      attribution: config.attribution,
      maxZoom: config.maxZoom || 19,
    }).addTo(map);
    return map;
  }

  function numberedIcon(number, approximate) {
    return L.divIcon({
      className: "map-marker" + (approximate ? " map-marker-approx" : ""),
      html: "<span>" + number + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -14],
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  function addressText(p) {
    var parts = [p.address, [p.postal_code, p.commune].filter(Boolean).join(" ")];
    return parts.filter(Boolean).join(", ");
  }

  function popupContent(p, labels) {
    var box = el("div", "map-popup");
    var title = el("p", "map-popup-title");
    title.appendChild(el("span", "map-number", p.n));
    title.appendChild(document.createTextNode(" "));
    title.appendChild(link(p.url, p.name));
    box.appendChild(title);
    box.appendChild(el("p", null, addressText(p)));
    if (p.approximate) box.appendChild(el("p", "map-approx", labels.approx));
    if (p.distance) box.appendChild(el("p", "map-distance", p.distance));
    var services = el("ul", "map-services");
    p.services.forEach(function (s) {
      var li = el("li");
      li.appendChild(link(s.url, s.name));
      services.appendChild(li);
    });
    box.appendChild(services);
    box.appendChild(link("#place-" + p.n, labels.list));
    return box;
  }

  function listItem(p, labels, onShow) {
    var li = el("li", "map-list-item");
    li.id = "place-" + p.n;
    li.value = p.n;
    li.setAttribute("data-testid", "map-list-item");
    li.tabIndex = -1;
    var title = el("p", "map-list-title");
    title.appendChild(el("span", "map-number", p.n));
    title.lastChild.setAttribute("aria-hidden", "true");
    title.appendChild(document.createTextNode(" "));
    title.appendChild(link(p.url, p.name));
    if (p.distance) title.appendChild(el("span", "map-distance", " · " + p.distance));
    li.appendChild(title);
    li.appendChild(el("p", "map-address", addressText(p)));
    if (p.approximate) li.appendChild(el("p", "map-approx", labels.approx));
    var services = el("ul", "map-services");
    p.services.forEach(function (s) {
      var item = el("li");
      item.appendChild(link(s.url, s.name));
      services.appendChild(item);
    });
    li.appendChild(services);
    var button = el("button", "button button-secondary map-show", labels.show);
    button.type = "button";
    button.appendChild(el("span", "visually-hidden", " : " + p.name));
    button.addEventListener("click", onShow);
    li.appendChild(button);
    return li;
  }

  function searchMap(element, config) {
    var labels = {
      list: element.dataset.labelList,
      show: element.dataset.labelShow,
      approx: element.dataset.labelApprox,
      places: element.dataset.labelPlaces,
      origin: element.dataset.labelOrigin,
    };
    var list = document.getElementById("map-list");
    var count = document.querySelector("[data-testid=map-count]");
    var map = baseMap(element, config);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    map.addLayer(cluster);
    fetch(element.dataset.geojson, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var bounds = [];
        var fragment = document.createDocumentFragment();
        var markers = [];
        data.features.forEach(function (feature) {
          var p = feature.properties;
          var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
          bounds.push(latlng);
          var marker = L.marker(latlng, {
            icon: numberedIcon(p.n, p.approximate),
            title: p.n + ". " + p.name,
            alt: p.n + ". " + p.name,
            keyboard: true,
          }).bindPopup(popupContent(p, labels));
          markers.push(marker);
          fragment.appendChild(
            listItem(p, labels, function () {
              element.scrollIntoView({ block: "nearest" });
              cluster.zoomToShowLayer(marker, function () {
                marker.openPopup();
                var icon = marker.getElement();
                if (icon) icon.focus();
              });
            })
          );
        });
        cluster.addLayers(markers);
        list.appendChild(fragment);
        element.setAttribute("data-markers", String(markers.length));
        if (count) count.textContent = "(" + markers.length + " " + labels.places + ")";
        if (data.origin) {
          var o = [data.origin.coordinates[1], data.origin.coordinates[0]];
          L.circleMarker(o, { radius: 8, color: "#8a3b00", weight: 3, fillOpacity: 0.2 })
            .bindTooltip(labels.origin)
            .addTo(map);
          bounds.push(o);
        }
        if (bounds.length === 1) map.setView(bounds[0], 15);
        else if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
        element.setAttribute("data-ready", "true");
      })
      .catch(function () {
        element.appendChild(el("p", "map-error", element.dataset.labelError));
        element.setAttribute("data-ready", "error");
      });
  }

  function printMap(element, config) {
    var places = JSON.parse(document.getElementById("print-places").textContent);
    var map = baseMap(element, config);
    map.zoomControl.remove();
    var bounds = [];
    places.forEach(function (p) {
      bounds.push([p.lat, p.lon]);
      L.marker([p.lat, p.lon], {
        icon: numberedIcon(p.n, p.approximate),
        title: p.n + ". " + p.name,
        alt: p.n + ". " + p.name,
      }).addTo(map);
    });
    if (bounds.length === 1) map.setView(bounds[0], 15);
    else if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    element.setAttribute("data-markers", String(places.length));
    element.setAttribute("data-ready", "true");
    window.addEventListener("beforeprint", function () {
      map.invalidateSize();
    });
  }

  function nearMe() {
    document.querySelectorAll("[data-near-me]").forEach(function (button) {
      if (!("geolocation" in navigator)) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var form = button.form;
        var status = form.querySelector("[data-near-status]");
        navigator.geolocation.getCurrentPosition(
          function (position) {
            var lat = form.querySelector("[data-near-lat]");
            var lon = form.querySelector("[data-near-lon]");
            lat.disabled = lon.disabled = false;
            lat.value = position.coords.latitude.toFixed(5);
            lon.value = position.coords.longitude.toFixed(5);
            form.querySelector("[name=near]").value = "";
            form.submit();
          },
          function () {
            if (status) status.textContent = button.dataset.error;
          },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
        );
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nearMe();
    if (typeof L === "undefined") return;
    var config = settings();
    document.querySelectorAll("[data-map]").forEach(function (element) {
      if (element.dataset.map === "search") searchMap(element, config);
      else if (element.dataset.map === "print") printMap(element, config);
    });
  });
})();
