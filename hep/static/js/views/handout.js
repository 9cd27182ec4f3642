// A program as a paper handout: the server's words and pictures laid out for printing (the
// print stylesheet leaves out everything but the sheet), with a PDF to download or send.

import { api } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";

/** #/handout: the patient's own programs (straight to the handout when there is one). */
export async function myHandouts() {
  const programs = await api.get("/api/programs");
  if (programs.length === 1) return handout({ params: { id: programs[0].id } });
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("handout.print_your_program")),
    programs.length
      ? h(
          "ul",
          { class: "list card" },
          programs.map((p) => h("li", {}, h("a", { href: `#/programs/${p.id}/handout` }, p.title))),
        )
      : h("p", { class: "muted" }, t("handout.you_have_no_program_to")),
  );
}

/** #/programs/:id/handout: the handout of a program's current version. */
export async function handout({ params, query }) {
  const version = Number(query?.get("v")) || null;
  const asked = version ? `?version=${version}` : "";
  const data = await api.get(`/api/programs/${params.id}/handout${asked}`);
  return h(
    "section",
    { class: "page handout" },
    h(
      "div",
      { class: "no-print handout-actions" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("handout.handout_to_print")),
      h("p", { class: "subtitle" }, t("handout.what_this_sheet_says_is")),
      h(
        "p",
        { class: "actions" },
        h("button", { type: "button", class: "btn btn-primary", "data-role": "print", onclick: () => window.print() }, t("handout.print")),
        " ",
        h("a", { class: "btn", href: `/api/programs/${params.id}/handout.pdf${asked}`, download: `handout-v${data.version}.pdf` }, t("handout.download_pdf")),
      ),
    ),
    sheet(data),
  );
}

function sheet(data) {
  return h(
    "article",
    { class: "handout-sheet", "aria-label": t("handout.handout") },
    h(
      "header",
      { class: "handout-head" },
      h(
        "figure",
        { class: "handout-qr" },
        h("img", { src: data.qr_code, alt: t("handout.qr_code_that_opens_hep"), width: 120, height: 120 }),
        h("figcaption", {}, t("handout.scan_to_open_hep_on"), " ", h("span", { class: "handout-url" }, data.app_url)),
      ),
      data.clinic_name ? h("p", { class: "handout-clinic" }, data.clinic_name) : null,
      h("h2", { class: "handout-title" }, data.title),
      h(
        "dl",
        { class: "handout-facts" },
        fact(t("handout.for"), data.patient_name),
        data.therapist_name ? fact(t("handout.from"), data.therapist_name) : null,
        fact(t("handout.when"), data.dates),
        fact(t("handout.printed"), t("handout.printed_on_version_version", { printed_on: data.printed_on, version: data.version })),
      ),
    ),
    data.notes ? h("section", { class: "handout-notes" }, h("h3", {}, t("handout.notes_from_your_therapist")), lines(data.notes)) : null,
    h("ol", { class: "handout-items" }, data.items.map(item)),
  );
}

function fact(term, value) {
  return [h("dt", {}, term), h("dd", {}, value)];
}

function lines(text) {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => h("p", {}, line));
}

function item(it) {
  return h(
    "li",
    { class: "handout-item" },
    h("h3", {}, it.name),
    it.picture ? h("img", { class: "handout-picture", src: it.picture.url, alt: it.picture.alt, loading: "eager" }) : null,
    h(
      "div",
      { class: "handout-text" },
      it.summary ? h("p", {}, it.summary) : null,
      h("p", {}, h("strong", {}, t("handout.dose"), " "), it.dose),
      h("p", {}, h("strong", {}, t("handout.when_2"), " "), it.schedule),
      it.steps.length ? [h("h4", {}, t("handout.steps")), h("ol", {}, it.steps.map((s) => h("li", {}, s)))] : null,
      it.cautions.length
        ? [h("h4", {}, t("handout.take_care")), h("ul", { class: "handout-cautions" }, it.cautions.map((c) => h("li", {}, c)))]
        : null,
      it.notes ? [h("h4", {}, t("handout.your_therapists_notes")), lines(it.notes)] : null,
    ),
  );
}
