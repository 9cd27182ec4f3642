// Account: profile and password, who on the care team read my data, export, deletion,
// sign-out. For patients also the way to habits, history and notification settings.

import { api } from "../api.js";
import { busy, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { allZones, clockTime, dateTime, todayIn } from "../dates.js";
import { currentUser, setUser, signOut, wipeLocalData } from "../session.js";
import { disablePush } from "../push.js";
import { limits, minLength, pageSizeMax } from "../rules.js";
import { passwordField } from "../components/password-field.js";
import { t, words } from "../i18n.js";

export async function account() {
  const user = currentUser();
  const patient = user.role === "patient";
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, patient ? t("account.more") : t("account.account")),
    h("p", { class: "subtitle" }, t("account.signed_in_as_name_email", { name: user.name, email: user.email })),
    patient
      ? h(
          "nav",
          { class: "card", "aria-label": t("account.more") },
          h(
            "ul",
            { class: "list" },
            [
              ["#/care-team", t("account.your_care_team"), t("account.your_therapists_and_requests_to")],
              ["#/history", t("account.history_and_corrections"), t("account.fill_in_or_correct_recent")],
              ["#/habits", t("account.habits"), t("account.add_change_or_stop_daily")],
              ["#/notifications", t("account.notifications_on_this_phone"), t("account.allow_test_or_turn_off")],
              ["#/reminders", t("account.reminders"), t("account.times_quiet_hours_and_daily")],
              ["#/email", t("common.email"), t("account.your_address_and_reminders_by")],
              ["#/calendar", t("account.calendar"), t("account.your_sessions_and_habit_checks")],
              ["#/handout", t("account.print_your_program"), t("account.handout_on_paper_or_pdf")],
            ].map(([href, label, hint]) =>
              h("li", {}, h("a", { href }, h("strong", {}, label)), h("br"), h("span", { class: "small muted" }, hint)),
            ),
          ),
        )
      : null,
    patient ? null : h("p", { class: "card" }, h("a", { href: "#/email" }, h("strong", {}, t("common.email"))), " ", t("account.your_address_and_alerts_when")),
    user.role === "therapist" ? await bringIn() : null,
    profileForm(user),
    passwordForm(),
    patient ? await accessLog() : null,
    dataSection(user),
    h(
      "div",
      { class: "card" },
      h("h2", {}, t("account.sign_out")),
      h("p", { class: "small muted" }, t("account.signing_out_removes_everything_hep")),
      h("button", { type: "button", class: "btn", "data-role": "sign-out", onclick: () => signOut() }, t("account.sign_out")),
    ),
    h("p", { class: "small muted" }, t("account.hep_is_open"), " ", h("a", { href: "/api/docs" }, t("account.api_documentation")), "."),
  );
}

function profileForm(user) {
  const zones = allZones();
  if (!zones.includes(user.timezone)) zones.unshift(user.timezone);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("account.profile")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.name"), { type: "text", name: "name", value: user.name, required: true, autocomplete: "name", ...limits("profile", "name") }),
    field(
      t("account.time_zone"),
      h("select", { name: "timezone", value: user.timezone }, zones.map((z) => h("option", { value: z }, z.replace(/_/g, " ")))),
      { hint: t("account.reminders_and_today_follow_this") },
    ),
    h("button", { type: "submit", class: "btn btn-primary" }, t("account.save_profile")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        setUser(await api.patch("/api/me", { name: data.get("name").trim(), timezone: data.get("timezone") }));
        toast(t("account.profile_saved"), "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function passwordForm() {
  const current = passwordField(t("account.current_password"), "current-password", null, { name: "current_password" });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("account.change_password")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    current,
    passwordField(t("account.new_password"), "new-password", t("account.at_least_minlength_characters_other", { minLength: minLength("profile", "password") })),
    h("button", { type: "submit", class: "btn" }, t("account.change_password")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.patch("/api/me", { current_password: data.get("current_password"), password: data.get("password") });
        form.reset();
        toast(t("account.password_changed_other_devices_are"), "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

const LOG_WORDS = {
  read: (what) => t("account.looked_at_your_what", { what }),
  readTimes: (what, count) => t("account.looked_at_your_what_times", { what, count }),
  between: (first, last) => t("account.first_to_last", { first, last }),
};

const timeOf = (value) => clockTime(value);

async function accessLog() {
  const pageSize = Math.min(20, pageSizeMax());
  let page = 1;
  const list = h("ul", { class: "list" });
  const more = h("button", { type: "button", class: "btn btn-small", hidden: true }, t("account.show_more"));
  const load = async () => {
    const entries = await api.get(`/api/me/access-log?page=${page}&page_size=${pageSize}`);
    list.append(
      // the same reader and records within an hour come as one entry, with how many times
      ...entries.map((e) =>
        h(
          "li",
          {},
          h("strong", {}, e.actor),
          " ",
          e.count > 1 ? LOG_WORDS.readTimes(e.action, e.count) : LOG_WORDS.read(e.action),
          h("br"),
          h("span", { class: "small muted" }, e.count > 1 ? LOG_WORDS.between(dateTime(e.first_at), timeOf(e.at)) : dateTime(e.at)),
        ),
      ),
    );
    more.hidden = entries.length < pageSize;
    if (page === 1 && !entries.length) list.append(h("li", { class: "muted" }, t("account.nobody_has_looked_at_your")));
  };
  more.addEventListener("click", async () => {
    page += 1;
    await load().catch((e) => toast(e.message, "error"));
  });
  await load();
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("account.who_looked_at_my_data")),
    h("p", { class: "small muted" }, t("account.every_time_someone_on_your")),
    list,
    more,
  );
}

function dataSection(user) {
  const download = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: async () => {
        download.disabled = true;
        try {
          const data = await api.get("/api/me/export");
          const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
          const url = URL.createObjectURL(blob);
          const a = h("a", { href: url, download: `hep-export-${todayIn(user.timezone)}.json` });
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10000);
          toast(t("account.your_data_is_downloading"), "success");
        } catch (error) {
          toast(error.message, "error");
        } finally {
          download.disabled = false;
        }
      },
    },
    t("account.download_my_data_json"),
  );
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    passwordField(t("account.your_password_to_confirm"), "current-password"),
    h("button", { type: "submit", class: "btn btn-danger" }, t("account.delete_my_account")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = new FormData(form).get("password");
    // a wrong password is said beside the field before anything is asked for good
    const checked = await busy(form, async () => {
      try {
        await api.post("/api/me/password-check", { password });
        return true;
      } catch (error) {
        showErrors(form, error);
        return false;
      }
    });
    if (!checked) return;
    const ok = await confirmDialog({
      title: t("account.delete_your_account_for_good"),
      body: t("account.your_programs_check_ins_pain"),
      confirm: t("account.delete_everything"),
      danger: true,
    });
    if (!ok) return;
    busy(form, async () => {
      try {
        await api.del("/api/me", { password });
        // the server dropped its copy of the subscription; drop this browser's too
        await disablePush().catch(() => {});
        await wipeLocalData();
        history.replaceState(null, "", "/#/account-deleted");
        location.reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("account.your_data")),
    h("p", { class: "small muted" }, t("account.everything_hep_holds_about_you")),
    download,
    h("h3", { class: "danger-title" }, t("account.delete_account")),
    h("p", { class: "small muted" }, t("account.deletes_your_account_and_all")),
    form,
  );
}

/** Links to import a program file, and a patient list into each clinic the therapist runs. */
async function bringIn() {
  const clinics = await api.get("/api/clinics");
  const led = clinics.filter((c) => c.my_role === "admin");
  return h(
    "nav",
    { class: "card", "aria-label": t("account.bring_work_into_hep") },
    h("h2", {}, t("account.bring_work_into_hep")),
    h(
      "ul",
      { class: "list" },
      h("li", {}, h("a", { href: "#/templates/import" }, t("account.import_program_file"))),
      led.map((c) => h("li", {}, h("a", { href: `#/clinics/${c.id}/patients/import` }, t("account.import_patients_into_name", { name: c.name })))),
    ),
  );
}

const GONE = words({
  title: "account.your_account_is_deleted",
  body: "account.your_account_and_everything_it",
  again: "account.you_can_create_new_account",
  start: "app.back_to_start",
});

/** Where a deleted account ends: it says the account is gone. */
export async function accountDeleted() {
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, GONE.title),
    h("p", {}, GONE.body),
    h("p", { class: "muted" }, GONE.again),
    h("a", { class: "btn btn-primary", href: "#/sign-in" }, GONE.start),
  );
}
