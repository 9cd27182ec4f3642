// Photos and videos a therapist added, and hep's own drawing of each built-in exercise: the
// small picture on Today's card, the gallery on an exercise's page, the upload control in the
// program builder, and the list the service worker keeps for offline use.

import { api } from "../api.js";
import { h, nextId, toast } from "../dom.js";
import { t } from "../i18n.js";

export const ACCEPT = "image/jpeg,image/png,image/webp,video/mp4,video/webm";

const stillMotion = () => window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

/** hep's drawing of a built-in exercise, still when the person asked for reduced motion. */
export function illustration(url, name, { small = false } = {}) {
  if (!url) return null;
  return h("img", {
    class: small ? "media-thumb drawing" : "illustration",
    src: small || stillMotion() ? `${url}?still=1` : url,
    alt: small ? "" : t("media.drawing_name", { name }),
    width: small ? "64" : "240",
    height: small ? "54" : "200",
  });
}

/** The media of the programs on a day, by item_key and by exercise id; {} when offline
 * with nothing kept. Patients' copies are handed to the service worker to keep offline. */
export async function mediaOfDay(entries) {
  const programs = [...new Set(entries.filter((e) => e.kind === "item").map((e) => e.program_id))];
  const found = { byItem: new Map(), byExercise: new Map() };
  const lists = await Promise.all(
    programs.map((id) => api.get(`/api/programs/${encodeURIComponent(id)}/media`).catch(() => [])),
  );
  for (const media of lists.flat()) {
    if (media.item_key) push(found.byItem, media.item_key, media);
    else if (media.exercise_id) push(found.byExercise, media.exercise_id, media);
  }
  keepOffline(programs, lists.flat());
  return found;
}

function push(map, key, value) {
  if (!map.has(key)) map.set(key, []);
  map.get(key).push(value);
}

/** An item's own media first (what the therapist filmed of this patient), then its exercise's. */
export function mediaFor(entry, media) {
  if (!media) return [];
  return [...(media.byItem.get(entry.item_key) || []), ...(media.byExercise.get(entry.exercise.id) || [])];
}

/** The small picture of a card: the first photo or video poster, else hep's drawing. */
export function thumbnailFor(entry, media) {
  const first = mediaFor(entry, media)[0];
  if (first) {
    return h("img", { class: "media-thumb", src: first.thumbnail_url, alt: "", width: "64", height: "54" });
  }
  return illustration(entry.exercise.illustration, entry.exercise.name, { small: true });
}

/** One photo or video, with its caption (or the exercise's name) for people who cannot see it. */
export function mediaFigure(media, name) {
  const label = media.caption || t(media.kind === "video" ? "media.video_of" : "media.photo_of", { name });
  const shown =
    media.kind === "video"
      ? h("video", {
          src: media.url,
          poster: media.thumbnail_url,
          controls: true,
          preload: "metadata",
          playsinline: true,
          "aria-label": label,
        })
      : h("img", { src: media.url, alt: label, loading: "lazy" });
  return h("figure", { class: "media" }, shown, media.caption ? h("figcaption", {}, media.caption) : null);
}

export function gallery(list, name) {
  if (!list.length) return null;
  return h("div", { class: "media-gallery" }, list.map((m) => mediaFigure(m, name)));
}

/** A file picker for one photo or video: from the camera on a phone, or a file on a desktop.
 * `url`: where to POST it; `onAdded(media)` after the server took it. */
export function uploadControl(url, name, onAdded) {
  const id = nextId("upload");
  const status = h("p", { class: "small", role: "status", "aria-live": "polite" });
  const input = h("input", { id, type: "file", accept: ACCEPT, class: "visually-hidden", "data-role": "media-file" });
  const camera = h("input", {
    id: `${id}-camera`,
    type: "file",
    accept: ACCEPT,
    capture: "environment",
    class: "visually-hidden",
  });
  const send = async (event) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const body = new FormData();
    body.set("file", file); // the upload's form field
    status.textContent = file.type.startsWith("video/") ? t("media.uploading_video") : t("media.uploading_photo");
    try {
      const media = await api.post(url, body);
      status.textContent = "";
      toast(t(media.kind === "video" ? "media.video_added" : "media.photo_added", { name }), "success");
      onAdded(media);
    } catch (error) {
      status.textContent = error.fields?.file?.[0] || error.message;
    }
  };
  input.addEventListener("change", send);
  camera.addEventListener("change", send);
  return h(
    "div",
    { class: "upload" },
    h("label", { for: `${id}-camera`, class: "btn btn-small" }, t("media.take_photo_or_video"), h("span", { class: "visually-hidden" }, " ", t("media.of_name", { name }))),
    camera,
    h("label", { for: id, class: "btn btn-small btn-quiet" }, t("media.choose_file"), h("span", { class: "visually-hidden" }, " ", t("media.for_name", { name }))),
    input,
    status,
  );
}

/** Ask the service worker to keep these programs' media (and their lists) for offline use;
 * what is not listed any more (the program changed) it lets go. */
function keepOffline(programs, media) {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return;
  const urls = programs.map((id) => ({ url: `/api/programs/${id}/media`, size: 0 }));
  for (const m of media) urls.push({ url: m.thumbnail_url, size: 0 });
  for (const m of media) urls.push({ url: m.url, size: m.size });
  worker.postMessage({ type: "keep-media", urls });
}
