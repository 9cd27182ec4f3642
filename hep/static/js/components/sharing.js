// Private or shared with a clinic: how a template or an exercise of yours is shared, in words
// and as a choice among the clinics you work in.

import { field, h } from "../dom.js";
import { t } from "../i18n.js";

/** "Yours · private", "By Sam Okafor · shared with Riverside", "Kept by the clinic · …". */
export function ownership(item, clinics) {
  const who = item.editable && item.owner_name ? t("sharing.yours") : item.owner_name ? t("sharing.by_owner_name", { owner_name: item.owner_name }) : t("sharing.kept_by_clinic");
  return [who, sharedText(item, clinics)].join(" · ");
}

export function sharedText(item, clinics) {
  return item.clinic_id
    ? t("sharing.shared_with", { clinic: clinics.get(item.clinic_id) || t("sharing.clinic") })
    : t("sharing.private");
}

/** A "Who sees it" select: only you, or the therapists of one of your clinics. */
export function shareField(clinics, current, { hint } = {}) {
  return field(
    t("sharing.who_sees_it"),
    h(
      "select",
      { name: "clinic_id", value: current || "" },
      h("option", { value: "" }, t("sharing.only_you")),
      [...clinics].map(([id, name]) => h("option", { value: id }, t("sharing.shared_with_name", { name }))),
    ),
    { hint: hint || t("sharing.shared_with_clinic_its_therapists") },
  );
}
