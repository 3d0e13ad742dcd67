import { useState } from "preact/hooks";
import { login } from "../session";

export function Login({ onLogin, message }: { onLogin: () => void; message?: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState(message);
  const submit = async (e: Event) => {
    e.preventDefault();
    const err = await login(token.trim().replace(/^.*#token=/, ""));
    if (err) setError(err);
    else onLogin();
  };
  return (
    <main id="main" class="login">
      <h1>wharf dashboard</h1>
      <p>
        Open the URL the daemon printed when it started (it ends in <code>#token=…</code>), or paste the token here. It is also in{" "}
        <code>&lt;exec-root&gt;/dashboard-url</code> (readable by root).
      </p>
      <form onSubmit={submit}>
        <label for="token">Session token</label>
        <input id="token" type="password" autoComplete="off" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} autoFocus />
        <button type="submit" class="primary">
          Log in
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
