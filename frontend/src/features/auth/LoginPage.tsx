import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../../api/errors";
import { safeRedirect } from "../../lib/searchParams";
import { useLogin } from "./queries";

const route = getRouteApi("/login");

export function LoginPage() {
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const errorId = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (login.isPending) return;
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () => {
          void navigate({ href: safeRedirect(redirect), replace: true });
        },
      },
    );
  };

  return (
    <main className="login-screen">
      <div className="card login-card">
        <div className="brand" style={{ padding: 0 }}>
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          Tempo
        </div>
        <h1 style={{ marginTop: 12 }}>Sign in</h1>
        <p className="page-subtitle">Customer health for your whole book.</p>
        <form onSubmit={onSubmit} aria-describedby={login.isError ? errorId : undefined}>
          {login.isError ? (
            <div className="alert alert-error" role="alert" id={errorId}>
              {errorMessage(login.error)}
            </div>
          ) : null}
          <label className="field">
            <span className="field-label">Email</span>
            <input
              className="input"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input
              className="input"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-primary" disabled={login.isPending}>
            {login.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
