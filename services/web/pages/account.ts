import { html } from "../domain/html";
import { field } from "./form-field";
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
  return field({
    id: "email",
    name: "email",
    label: "Email",
    value: form.email ?? "",
    testid: "email",
    attrs: { type: "email", autocomplete: "email", required: true, maxlength: 254 },
  });
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
        ${field({
          id: "password",
          name: "password",
          label: "Password",
          testid: "password",
          attrs: { type: "password", autocomplete: "current-password", required: true, maxlength: 128 },
        })}
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
        ${field({
          id: "name",
          name: "name",
          label: "Name",
          value: form.name ?? "",
          testid: "name",
          attrs: { type: "text", autocomplete: "name", required: true, maxlength: 100 },
        })}
        ${emailField(form)}
        ${field({
          id: "password",
          name: "password",
          label: "Password",
          testid: "password",
          attrs: { type: "password", autocomplete: "new-password", required: true, minlength: 8, maxlength: 128 },
          hint: "8 to 128 characters.",
        })}
        <button type="submit" data-testid="submit">Create account</button>
        <p class="hint">Have an account? <a href="/login">Log in</a>.</p>
      </form>`,
  };
}
