// leaflet serve: the form. Lists the leaflets, switches labels and direction with the language,
// posts the prescription as JSON and offers the PDF; a 422 answer's problems go beside their fields.
"use strict";
(function () {
  const form = document.getElementById("rx");
  const leafletSelect = document.getElementById("f-leaflet");
  const languageSelect = document.getElementById("f-language");
  const paperSelect = document.getElementById("f-paper");
  // the service's brands (a clinic's or pharmacy's, leaflet serve --brand); f-brand is the prescription's
  const brandSelect = document.getElementById("f-clinic");
  const status = document.getElementById("status");
  const formError = document.getElementById("e-form");
  const download = document.getElementById("download");
  const needsToken = form.dataset.token === "yes";
  const tokenInput = document.getElementById("f-token");
  const fields = Array.from(form.querySelectorAll("#panel [name]"));
  let leaflets = [];
  let pdfUrl = null;
  // the form's words in the chosen language (GET /form/strings/{language}); English until then
  let ui = {
    need_token: "A valid access token is needed.", choose: "Choose a leaflet and a language.",
    unreachable: "The service could not be reached.", not_listed: "The leaflets could not be listed.",
    working: "Making the PDF…", done: "The PDF is ready.", errors: "The PDF was not made: see the fields marked.",
  };
  // the messages beside a field, in the form's language, by a problem's "code:field" or "code"
  let errorWords = {};
  let formLanguage = "en";
  const dateInput = document.getElementById("f-dispensed");
  // a browser without a date control of its own shows a text box: then the date is typed YYYY-MM-DD, as
  // the hint says (with a date control the browser shows the date its own way, and the hint would be wrong)
  if (dateInput && dateInput.type !== "date") {
    const hint = document.getElementById("h-dispensed");
    hint.hidden = false;
    dateInput.setAttribute("aria-describedby", "h-dispensed e-dispensed");
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el && text) el.textContent = text;
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (needsToken && tokenInput && tokenInput.value) h["Authorization"] = "Bearer " + tokenInput.value.trim();
    return h;
  }

  function clearErrors() {
    formError.textContent = "";
    form.querySelectorAll(".error").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  // a message as a span: in the form's language, or (lang set) leaflet's English words
  function words(text, lang) {
    const span = document.createElement("span");
    span.textContent = text;
    if (lang && lang !== formLanguage) { span.lang = lang; span.dir = "auto"; }
    return span;
  }

  function showError(field, message) {
    const slot = document.getElementById("e-" + field);
    const input = document.getElementById("f-" + field);
    if (slot && input) {
      const said = Array.from(slot.children).some(function (s) { return s.textContent === message.textContent; });
      if (!said) {
        if (slot.children.length) slot.append(" ");
        slot.append(message);
      }
      input.setAttribute("aria-invalid", "true");
      return true;
    }
    return false;
  }

  // a problem of the service's answer as the form says it: its words in the form's language where
  // strings.json has them (by code and field), else leaflet's own message and hint (English)
  function problem(d, field) {
    const own = errorWords[d.code + ":" + field] || errorWords[d.code];
    if (own) return words(own, formLanguage);
    return words(d.message + (d.hint ? " (" + d.hint + ")" : ""), "en");
  }

  async function loadLeaflets() {
    clearErrors();
    const response = await fetch("leaflets", { headers: headers() });
    if (response.status === 401) {
      showError("token", words(ui.need_token));
      return;
    }
    if (!response.ok) { formError.textContent = ui.not_listed + " (" + response.status + ")"; return; }
    const listing = await response.json();
    leaflets = listing.leaflets;
    // the service's brands (leaflet serve --brand): a choice only when there are several (the first is the default)
    const brands = listing.brands || [];
    brandSelect.replaceChildren();
    brands.forEach(function (brand) { brandSelect.append(new Option(brand.name + " (" + brand.id + ")", brand.id)); });
    document.getElementById("r-clinic").hidden = brands.length < 2;
    leafletSelect.replaceChildren();
    leaflets.forEach(function (leaflet) {
      leafletSelect.append(new Option(leaflet.id, leaflet.id));
    });
    fillLanguages();
  }

  function fillLanguages() {
    const chosen = leaflets.find(function (l) { return l.id === leafletSelect.value; });
    const previous = languageSelect.value;
    languageSelect.replaceChildren();
    (chosen ? chosen.languages : []).forEach(function (lang) {
      const option = new Option(lang.name + " (" + lang.language + ")", lang.language);
      option.lang = lang.language;
      option.dir = lang.direction;
      languageSelect.append(option);
    });
    if (previous && Array.from(languageSelect.options).some(function (o) { return o.value === previous; })) {
      languageSelect.value = previous;
    }
    applyLanguage();
  }

  async function applyLanguage() {
    const language = languageSelect.value;
    if (!language) return;
    const response = await fetch("form/strings/" + encodeURIComponent(language));
    if (!response.ok) return;
    const strings = await response.json();
    document.documentElement.lang = strings.language;
    document.documentElement.dir = strings.direction;
    Object.keys(strings.labels).forEach(function (field) { setText("l-" + field, strings.labels[field]); });
    Object.keys(strings.hints).forEach(function (field) { setText("h-" + field, strings.hints[field]); });
    ui = Object.assign(ui, strings.ui);
    errorWords = strings.errors || {};
    formLanguage = strings.language;
    ["leaflet", "language", "paper", "token"].forEach(function (key) { setText("l-" + key, ui[key]); });
    setText("l-clinic", ui.brand);
    setText("title", ui.title);
    setText("legend", ui.title);
    setText("submit", ui.submit);
    setText("download", ui.download);
    if (ui.title) document.title = ui.title + " · leaflet";
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors();
    download.hidden = true;
    if (pdfUrl) { URL.revokeObjectURL(pdfUrl); pdfUrl = null; }
    const leaflet = leafletSelect.value, language = languageSelect.value;
    if (!leaflet || !language) { formError.textContent = ui.choose; return; }
    const record = { language: language };
    fields.forEach(function (input) {
      const value = input.value.trim();
      if (value) record[input.name] = value;
    });
    // a date control holding a date not finished (or not in the calendar) gives no value: say so
    // beside it, rather than that the date is missing
    const unfinished = dateInput && dateInput.validity && dateInput.validity.badInput;
    status.textContent = ui.working;
    const address = "leaflets/" + encodeURIComponent(leaflet) + "/" + encodeURIComponent(language) +
      "?paper=" + encodeURIComponent(paperSelect.value) +
      (brandSelect.options.length > 1 ? "&brand=" + encodeURIComponent(brandSelect.value) : "");
    let response;
    try {
      response = await fetch(address, {
        method: "POST", body: JSON.stringify(record),
        headers: headers({ "Content-Type": "application/json", "Accept": "application/pdf, application/json" }),
      });
    } catch (e) {
      status.textContent = "";
      formError.textContent = ui.unreachable;
      return;
    }
    status.textContent = "";
    if (response.ok) {
      const blob = await response.blob();
      pdfUrl = URL.createObjectURL(blob);
      download.href = pdfUrl;
      download.download = leaflet + "-" + language + ".pdf";
      download.hidden = false;
      status.textContent = ui.done;
      download.click();
      return;
    }
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (response.status === 401) { showError("token", words(ui.need_token)); return; }
    if (response.status === 422 && Array.isArray(answer.diagnostics)) {
      const loose = [];
      if (unfinished) showError("dispensed", words(errorWords["date-incomplete"] || ui.errors));
      answer.diagnostics.forEach(function (d) {
        const field = String(d.field || "").split(/[.[]/)[0];
        if (unfinished && field === "dispensed") return;
        const message = problem(d, field);
        if (!showError(field, message)) loose.push(message);
      });
      formError.replaceChildren(ui.errors);
      loose.forEach(function (message) { formError.append(" ", message); });
      const first = form.querySelector("[aria-invalid]");
      if (first) first.focus();
      return;
    }
    // the service's other answers (busy, timeout …): the form's words for the kind, else the service's
    const own = errorWords["service:" + answer.error];
    formError.replaceChildren(own ? words(own) : words(answer.message || ("The service answered " + response.status +
      "."), "en"));
  }

  leafletSelect.addEventListener("change", fillLanguages);
  languageSelect.addEventListener("change", applyLanguage);
  form.addEventListener("submit", submit);
  if (tokenInput) tokenInput.addEventListener("change", loadLeaflets);
  if (!needsToken) loadLeaflets();
})();
