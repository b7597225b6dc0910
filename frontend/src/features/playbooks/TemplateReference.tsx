/** The names a template sees (backend/app/playbooks/library.py), all from the account's latest data. */
export const TEMPLATE_VARIABLES: readonly { name: string; about: string; fields: string[] }[] = [
  {
    name: "account",
    about: "the account",
    fields: ["name", "arr", "plan", "segment", "renewal_date", "days_to_renewal"],
  },
  {
    name: "health",
    about: "latest health score, band, quadrant and component scores",
    fields: [
      "score",
      "band",
      "quadrant",
      "usage",
      "support",
      "sentiment",
      "relationship",
      "commercial",
    ],
  },
  {
    name: "usage",
    about: "product usage",
    fields: [
      "active_users",
      "seats",
      "user_days",
      "feature_adoption",
      "core_used",
      "core_available",
      "minutes_per_user_week",
      "user_growth",
    ],
  },
  {
    name: "support",
    about: "support tickets",
    fields: ["open_tickets", "urgent_open", "oldest_open_days"],
  },
  { name: "sentiment", about: "survey scores", fields: ["nps", "csat"] },
  {
    name: "alert",
    about: "the alert that started the play; None when started by hand",
    fields: ["title", "rule", "facts"],
  },
  {
    name: "contact",
    about: "the champion or primary contact",
    fields: ["name", "first_name"],
  },
  { name: "csm", about: "the account's owner", fields: ["name", "email"] },
];

const FILTERS: readonly { use: string; shows: string }[] = [
  { use: "{{ account.arr | money }}", shows: "$120K" },
  { use: "{{ usage.feature_adoption | pct }}", shows: "45%" },
  { use: "{{ usage.active_users | num }}", shows: "1,234 (num(1): one decimal)" },
];

/**
 * Reference of the template variables and filters. With `onInsert`, clicking a variable puts
 * `{{ name.field }}` into the template field last focused.
 */
export function TemplateReference({ onInsert }: { onInsert?: (text: string) => void }) {
  return (
    <details className="pb-reference" data-testid="template-reference">
      <summary>Template variables and filters</summary>
      <div className="pb-reference-body">
        <p className="field-hint">
          Templates are Jinja2, rendered with the account's real numbers.
          {onInsert ? " Click a variable to insert it where the cursor was." : ""} A name that does
          not exist fails the preview, so typos never reach a customer.
        </p>
        <dl className="pb-vars">
          {TEMPLATE_VARIABLES.map((group) => (
            <div key={group.name} className="pb-var-group">
              <dt>
                <code>{group.name}</code> <span className="muted small">{group.about}</span>
              </dt>
              <dd>
                {group.fields.map((field) => {
                  const text = `{{ ${group.name}.${field} }}`;
                  return onInsert ? (
                    <button
                      key={field}
                      type="button"
                      className="pb-var"
                      title={`Insert ${text}`}
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => onInsert(text)}
                    >
                      {field}
                    </button>
                  ) : (
                    <code key={field} className="pb-var">
                      {field}
                    </code>
                  );
                })}
              </dd>
            </div>
          ))}
        </dl>
        <div className="pb-filters">
          <span className="field-label">Filters</span>
          <ul>
            {FILTERS.map((f) => (
              <li key={f.use}>
                <code>{f.use}</code> <span className="muted">→ {f.shows}</span>
              </li>
            ))}
          </ul>
          <p className="field-hint">
            Missing numbers print as “—” through a filter. Guard optional parts:{" "}
            <code>{"{% if alert %}…{% endif %}"}</code>,{" "}
            <code>{"{{ account.plan or 'your plan' }}"}</code>.
          </p>
        </div>
      </div>
    </details>
  );
}
