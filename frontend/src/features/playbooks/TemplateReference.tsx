/**
 * One name of a group: a field inserted as `{{ group.field }}`, or a name that is not printed
 * as it is (a list, a thing that may be none) with the snippet that uses it safely.
 */
type VarField = string | { field: string; insert: string; about: string };

/** The names a template sees (backend/app/playbooks/context.py), all from the account's latest data. */
export const TEMPLATE_VARIABLES: readonly { name: string; about: string; fields: VarField[] }[] = [
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
    about:
      "support tickets; tickets lists the open ones, most urgent and oldest first, each with id, subject, priority (“P1”), age_days and escalated; worst is the first of them, or none",
    fields: [
      "open_tickets",
      "urgent_open",
      "oldest_open_days",
      {
        field: "tickets",
        about: "each open ticket: id, subject, priority, age in days",
        insert:
          "{% for t in support.tickets %}{{ t.id }} ({{ t.priority }}, {{ t.age_days }} d): {{ t.subject }}{% if not loop.last %}; {% endif %}{% endfor %}",
      },
      {
        field: "worst",
        about: "the most urgent, oldest open ticket, when there is one",
        insert:
          "{% if support.worst %}{{ support.worst.id }} ({{ support.worst.priority }}): {{ support.worst.subject }}{% endif %}",
      },
    ],
  },
  { name: "sentiment", about: "survey scores", fields: ["nps", "csat"] },
  {
    name: "alert",
    about: "the alert that started the play; None when started by hand",
    fields: ["title", "rule", "facts"],
  },
  {
    name: "contact",
    about: "the champion or primary contact (the email goes to them)",
    fields: ["name", "first_name", "email"],
  },
  { name: "csm", about: "the account's owner", fields: ["name", "email"] },
  {
    name: "lead",
    about: "the owner's lead (a step for “Owner's lead” goes to them)",
    fields: ["name", "email"],
  },
  {
    name: "support_lead",
    about:
      "the workspace's support lead, else the owner's lead (a step for “Support lead” goes to them)",
    fields: ["name", "email"],
  },
];

const FILTERS: readonly { use: string; shows: string }[] = [
  { use: "{{ account.arr | money }}", shows: "$120K" },
  { use: "{{ usage.feature_adoption | pct }}", shows: "45%" },
  { use: "{{ usage.active_users | num }}", shows: "1,234 (num(1): one decimal)" },
  { use: "{{ account.renewal_date | day }}", shows: "Jan 2, 2027" },
];

/** What clicking a field inserts, its label and its tooltip. */
function fieldUse(group: string, field: VarField): { label: string; text: string; about?: string } {
  if (typeof field === "string") return { label: field, text: `{{ ${group}.${field} }}` };
  return { label: field.field, text: field.insert, about: field.about };
}

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
                  const { label, text, about } = fieldUse(group.name, field);
                  return onInsert ? (
                    <button
                      key={label}
                      type="button"
                      className="pb-var"
                      title={about ? `${about}: inserts ${text}` : `Insert ${text}`}
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => onInsert(text)}
                    >
                      {label}
                    </button>
                  ) : (
                    <code key={label} className="pb-var" title={about}>
                      {label}
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
            Missing numbers and dates print as “—” through a filter. Guard optional parts:{" "}
            <code>{"{% if alert %}…{% endif %}"}</code>,{" "}
            <code>{"{% if support.worst %}…{% endif %}"}</code>,{" "}
            <code>{"{{ account.plan or 'your plan' }}"}</code>. Loop over lists:{" "}
            <code>{"{% for t in support.tickets %}{{ t.id }} {% endfor %}"}</code>.
          </p>
        </div>
      </div>
    </details>
  );
}
