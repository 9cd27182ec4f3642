// Account: profile and password, who on the care team read my data, export, deletion,
// sign-out. For patients also the way to habits, history and notification settings.

import { api } from "../api.js";
import { busy, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { allZones, dateTime, todayIn } from "../dates.js";
import { currentUser, setUser, signOut, wipeLocalData } from "../session.js";
import { disablePush } from "../push.js";
import { limits, minLength, pageSizeMax } from "../rules.js";
import { passwordField } from "../components/password-field.js";

export async function account() {
  const user = currentUser();
  const patient = user.role === "patient";
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, patient ? "More" : "Account"),
    h("p", { class: "subtitle" }, `Signed in as ${user.name} (${user.email})`),
    patient
      ? h(
          "nav",
          { class: "card", "aria-label": "More" },
          h(
            "ul",
            { class: "list" },
            [
              ["#/care-team", "Your care team", "Your therapists, and requests to join"],
              ["#/history", "History and corrections", "Fill in or correct recent days"],
              ["#/habits", "Habits", "Add, change or stop daily habits"],
              ["#/notifications", "Notifications on this phone", "Allow, test or turn off"],
              ["#/reminders", "Reminders", "Times, quiet hours and daily limit"],
              ["#/email", "Email", "Your address, and reminders by email"],
              ["#/calendar", "Calendar", "Your sessions and habit checks in your calendar app"],
              ["#/handout", "Print your program", "A handout on paper, or a PDF"],
            ].map(([href, label, hint]) =>
              h("li", {}, h("a", { href }, h("strong", {}, label)), h("br"), h("span", { class: "small muted" }, hint)),
            ),
          ),
        )
      : null,
    patient ? null : h("p", { class: "card" }, h("a", { href: "#/email" }, h("strong", {}, "Email")), " — your address, and alerts when a patient needs you"),
    user.role === "therapist" ? await bringIn() : null,
    profileForm(user),
    passwordForm(),
    patient ? await accessLog() : null,
    dataSection(user),
    h(
      "div",
      { class: "card" },
      h("h2", {}, "Sign out"),
      h("p", { class: "small muted" }, "Signing out removes everything hep stored on this device."),
      h("button", { type: "button", class: "btn", "data-role": "sign-out", onclick: () => signOut() }, "Sign out"),
    ),
    h("p", { class: "small muted" }, "hep is open: ", h("a", { href: "/api/docs" }, "API documentation"), "."),
  );
}

function profileForm(user) {
  const zones = allZones();
  if (!zones.includes(user.timezone)) zones.unshift(user.timezone);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Profile"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Name", { type: "text", name: "name", value: user.name, required: true, autocomplete: "name", ...limits("profile", "name") }),
    field(
      "Time zone",
      h("select", { name: "timezone", value: user.timezone }, zones.map((z) => h("option", { value: z }, z.replace(/_/g, " ")))),
      { hint: "Reminders and “today” follow this zone." },
    ),
    h("button", { type: "submit", class: "btn btn-primary" }, "Save profile"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        setUser(await api.patch("/api/me", { name: data.get("name").trim(), timezone: data.get("timezone") }));
        toast("Profile saved.", "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function passwordForm() {
  const current = passwordField("Current password", "current-password", null, { name: "current_password" });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Change password"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    current,
    passwordField("New password", "new-password", `At least ${minLength("profile", "password")} characters. Other devices will be signed out.`),
    h("button", { type: "submit", class: "btn" }, "Change password"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.patch("/api/me", { current_password: data.get("current_password"), password: data.get("password") });
        form.reset();
        toast("Password changed. Other devices are signed out.", "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

const LOG_WORDS = {
  read: (what) => ` looked at your ${what}`,
  readTimes: (what, times) => ` looked at your ${what} ${times} times`,
  between: (first, last) => `${first} to ${last}`,
};

const timeOf = (value) => new Date(value).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

async function accessLog() {
  const pageSize = Math.min(20, pageSizeMax());
  let page = 1;
  const list = h("ul", { class: "list" });
  const more = h("button", { type: "button", class: "btn btn-small", hidden: true }, "Show more");
  const load = async () => {
    const entries = await api.get(`/api/me/access-log?page=${page}&page_size=${pageSize}`);
    list.append(
      // the same reader and records within an hour come as one entry, with how many times
      ...entries.map((e) =>
        h(
          "li",
          {},
          h("strong", {}, e.actor),
          e.count > 1 ? LOG_WORDS.readTimes(e.action, e.count) : LOG_WORDS.read(e.action),
          h("br"),
          h("span", { class: "small muted" }, e.count > 1 ? LOG_WORDS.between(dateTime(e.first_at), timeOf(e.at)) : dateTime(e.at)),
        ),
      ),
    );
    more.hidden = entries.length < pageSize;
    if (page === 1 && !entries.length) list.append(h("li", { class: "muted" }, "Nobody has looked at your data yet."));
  };
  more.addEventListener("click", async () => {
    page += 1;
    await load().catch((e) => toast(e.message, "error"));
  });
  await load();
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Who looked at my data"),
    h("p", { class: "small muted" }, "Every time someone on your care team opens your records, it is written here. It cannot be changed."),
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
          toast("Your data is downloading.", "success");
        } catch (error) {
          toast(error.message, "error");
        } finally {
          download.disabled = false;
        }
      },
    },
    "Download my data (JSON)",
  );
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    passwordField("Your password, to confirm", "current-password"),
    h("button", { type: "submit", class: "btn btn-danger" }, "Delete my account"),
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
      title: "Delete your account for good?",
      body: "Your programs, check-ins, pain diary, habits and reminders are deleted. This cannot be undone.",
      confirm: "Delete everything",
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
    h("h2", {}, "Your data"),
    h("p", { class: "small muted" }, "Everything hep holds about you, in one machine-readable file."),
    download,
    h("h3", { class: "danger-title" }, "Delete account"),
    h("p", { class: "small muted" }, "Deletes your account and all your data from this server."),
    form,
  );
}

/** Links to import a program file, and a patient list into each clinic the therapist runs. */
async function bringIn() {
  const clinics = await api.get("/api/clinics");
  const led = clinics.filter((c) => c.my_role === "admin");
  return h(
    "nav",
    { class: "card", "aria-label": "Bring work into hep" },
    h("h2", {}, "Bring work into hep"),
    h(
      "ul",
      { class: "list" },
      h("li", {}, h("a", { href: "#/templates/import" }, "Import a program file")),
      led.map((c) => h("li", {}, h("a", { href: `#/clinics/${c.id}/patients/import` }, `Import patients into ${c.name}`))),
    ),
  );
}

const GONE = {
  title: "Your account is deleted",
  body: "Your account and everything it held are gone from this server, and this phone keeps none of it.",
  again: "You can create a new account at any time.",
  start: "Back to the start",
};

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
