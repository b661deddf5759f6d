import { html } from "../domain/html";
import { alert, csrfField, type Chrome, type View } from "./layout";

export interface AccountForm {
  email?: string;
  name?: string;
  next?: string;
}

function errors(list: string[]) {
  if (!list.length) return "";
  return alert(
    "error",
    list.length === 1
      ? list[0]
      : html`Please correct these:
          <ul>
            ${list.map((e) => html`<li>${e}</li>`)}
          </ul>`,
  );
}

/** Both forms ask for the email the same way (users' own limit: 254 characters). */
function emailField(form: AccountForm) {
  return html`<div class="field">
    <label for="email">Email</label>
    <input
      id="email"
      name="email"
      type="email"
      autocomplete="email"
      required
      maxlength="254"
      value="${form.email ?? ""}"
      data-testid="email"
    />
  </div>`;
}

export function loginView(chrome: Chrome, form: AccountForm = {}, problems: string[] = [], status = 200): View {
  return {
    title: "Log in",
    status,
    body: html`<h1>Log in</h1>
      ${errors(problems)}
      <form class="form" method="post" action="/login" data-once>
        ${csrfField(chrome)}
        <input type="hidden" name="next" value="${form.next ?? ""}" />
        ${emailField(form)}
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength="128"
            data-testid="password"
          />
        </div>
        <button type="submit" data-testid="submit">Log in</button>
        <p class="hint">New here? <a href="/register">Create an account</a>.</p>
      </form>`,
  };
}

export function registerView(chrome: Chrome, form: AccountForm = {}, problems: string[] = [], status = 200): View {
  return {
    title: "Create an account",
    status,
    body: html`<h1>Create an account</h1>
      ${errors(problems)}
      <form class="form" method="post" action="/register" data-once>
        ${csrfField(chrome)}
        <div class="field">
          <label for="name">Name</label>
          <input
            id="name"
            name="name"
            type="text"
            autocomplete="name"
            required
            maxlength="100"
            value="${form.name ?? ""}"
            data-testid="name"
          />
        </div>
        ${emailField(form)}
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minlength="8"
            maxlength="128"
            aria-describedby="password-hint"
            data-testid="password"
          />
          <p class="hint" id="password-hint">8 to 128 characters.</p>
        </div>
        <button type="submit" data-testid="submit">Create account</button>
        <p class="hint">Have an account? <a href="/login">Log in</a>.</p>
      </form>`,
  };
}
