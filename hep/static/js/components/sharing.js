// Private or shared with a clinic: how a template or an exercise of yours is shared, in words
// and as a choice among the clinics you work in.

import { field, h } from "../dom.js";

/** "Yours · private", "By Sam Okafor · shared with Riverside", "Kept by the clinic · …". */
export function ownership(item, clinics) {
  const who = item.editable && item.owner_name ? "Yours" : item.owner_name ? `By ${item.owner_name}` : "Kept by the clinic";
  return `${who} · ${sharedText(item, clinics)}`;
}

export function sharedText(item, clinics) {
  return item.clinic_id ? `shared with ${clinics.get(item.clinic_id) || "a clinic"}` : "private";
}

/** A "Who sees it" select: only you, or the therapists of one of your clinics. */
export function shareField(clinics, current, { hint } = {}) {
  return field(
    "Who sees it",
    h(
      "select",
      { name: "clinic_id", value: current || "" },
      h("option", { value: "" }, "Only you"),
      [...clinics].map(([id, name]) => h("option", { value: id }, `Shared with ${name}`)),
    ),
    { hint: hint || "Shared with a clinic, its therapists see and prescribe it; only you change it." },
  );
}
