import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../../api/errors";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { fieldErrorsOf } from "./draft";
import { TILE_KINDS, type TileKind, useCreateEmbedConfiguration } from "./embeddingQueries";

/** The server's limit on origins per embedding. */
const MAX_ORIGINS = 20;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why `text` is not a web origin as embeddings name them (https://host or https://host:port;
 * plain http only for localhost), or null when it is one.
 */
export function originProblem(text: string): string | null {
  const usage = "write it as https://host or https://host:port";
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return usage;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return usage;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return usage;
  if (!url.hostname) return usage;
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
    return "use https:// (plain http only for localhost)";
  }
  if (url.hostname.includes("*")) return "wildcards are not allowed, name each origin";
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) {
    return "an origin has no path, query, fragment or credentials";
  }
  if (/[?#]/.test(text)) return "an origin has no path, query, fragment or credentials";
  return null;
}

type Line = { text: string; line: number };

/** The non-blank lines of the origins box, with their line numbers (1-based). */
function originLines(text: string): Line[] {
  return text
    .split("\n")
    .map((raw, i) => ({ text: raw.trim(), line: i + 1 }))
    .filter((l) => l.text !== "");
}

type Errors = { name: string[]; origins: string[]; tiles: string[]; other: boolean };

const NO_ERRORS: Errors = { name: [], origins: [], tiles: [], other: false };

function localErrors(name: string, lines: Line[], tiles: TileKind[]): Errors {
  const errors: Errors = { name: [], origins: [], tiles: [], other: false };
  if (!name.trim()) errors.name.push("Give the embedding a name.");
  if (!lines.length)
    errors.origins.push("Name at least one origin, e.g. https://portal.example.com.");
  if (lines.length > MAX_ORIGINS) errors.origins.push(`At most ${MAX_ORIGINS} origins.`);
  for (const l of lines) {
    const problem = originProblem(l.text);
    if (problem) errors.origins.push(`Line ${l.line}: “${l.text}” — ${problem}.`);
  }
  if (!tiles.length) errors.tiles.push("Pick at least one tile.");
  return errors;
}

/** A 422's field errors placed next to the fields (origins by the line they came from). */
function serverErrors(error: unknown, sent: Line[]): Errors {
  const errors: Errors = { name: [], origins: [], tiles: [], other: false };
  for (const [path, messages] of fieldErrorsOf(error)) {
    const [field, index] = path.split(".");
    if (field === "name") errors.name.push(...messages);
    else if (field === "tiles") errors.tiles.push(...messages);
    else if (field === "origins") {
      const line = index === undefined ? undefined : sent[Number(index)];
      errors.origins.push(...messages.map((m) => (line ? `Line ${line.line}: ${m}` : m)));
    } else errors.other = true;
  }
  return errors;
}

function FieldError({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}

/** "New embedding": a name, the host pages' origins (one a line) and the tiles they may show. */
export function NewEmbeddingForm() {
  const id = useId();
  const create = useCreateEmbedConfiguration();
  const [name, setName] = useState("");
  const [origins, setOrigins] = useState("");
  const [tiles, setTiles] = useState<TileKind[]>(["health"]);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [created, setCreated] = useState<string | null>(null);

  const edited = () => {
    setErrors(NO_ERRORS);
    setCreated(null);
    if (create.isError) create.reset();
  };

  const toggle = (kind: TileKind, on: boolean) => {
    edited();
    setTiles((current) =>
      TILE_KINDS.map((t) => t.kind).filter((k) => (k === kind ? on : current.includes(k))),
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lines = originLines(origins);
    const local = localErrors(name, lines, tiles);
    if (local.name.length || local.origins.length || local.tiles.length) {
      setErrors(local);
      return;
    }
    setErrors(NO_ERRORS);
    create.mutate(
      { name: name.trim(), origins: lines.map((l) => l.text), tiles },
      {
        onSuccess: (configuration) => {
          setCreated(configuration.name);
          setName("");
          setOrigins("");
          setTiles(["health"]);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 422) {
            setErrors(serverErrors(error, lines));
          }
        },
      },
    );
  };

  // The server's message, unless all it said is shown next to the fields.
  const placed = errors.name.length + errors.origins.length + errors.tiles.length > 0;
  const showProblem = create.isError && (!placed || errors.other);

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h2 id={`${id}-title`}>New embedding</h2>
      </div>
      <form className="card-body embed-form" onSubmit={submit} noValidate>
        <label className="field" htmlFor={`${id}-name`}>
          <span className="field-label">Name</span>
          <input
            id={`${id}-name`}
            className="input"
            value={name}
            maxLength={200}
            placeholder="Customer portal"
            aria-invalid={errors.name.length > 0}
            aria-describedby={errors.name.length ? `${id}-name-error` : undefined}
            onChange={(e) => {
              edited();
              setName(e.target.value);
            }}
          />
          <FieldError id={`${id}-name-error`} messages={errors.name} />
        </label>
        <label className="field" htmlFor={`${id}-origins`}>
          <span className="field-label">
            Origins
            <span className="field-hint">
              The host pages allowed to show the tiles, one a line: https://host or
              https://host:port.
            </span>
          </span>
          <textarea
            id={`${id}-origins`}
            className="input embed-origins-input"
            rows={3}
            value={origins}
            spellCheck={false}
            placeholder={"https://portal.example.com\nhttps://app.example.com:8443"}
            aria-invalid={errors.origins.length > 0}
            aria-describedby={errors.origins.length ? `${id}-origins-error` : undefined}
            onChange={(e) => {
              edited();
              setOrigins(e.target.value);
            }}
          />
          <FieldError id={`${id}-origins-error`} messages={errors.origins} />
        </label>
        <fieldset className="fieldset-plain embed-tiles-field">
          <legend className="field-label">Tiles</legend>
          <div className="chips">
            {TILE_KINDS.map((t) => (
              <label key={t.kind} className="chip">
                <input
                  type="checkbox"
                  checked={tiles.includes(t.kind)}
                  onChange={(e) => toggle(t.kind, e.target.checked)}
                />
                {t.label}
              </label>
            ))}
          </div>
          <FieldError id={`${id}-tiles-error`} messages={errors.tiles} />
        </fieldset>
        {showProblem ? (
          <ProblemAlert error={create.error} title="Couldn't create the embedding" />
        ) : null}
        <div className="embed-form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create embedding"}
          </button>
          {created ? <output className="notice">Created “{created}”.</output> : null}
        </div>
      </form>
    </section>
  );
}
