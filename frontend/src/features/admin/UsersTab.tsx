import { type FormEvent, useId, useState } from "react";
import { formatTimeAgo, formatUtcDateTime } from "../../lib/format";
import { roleLabel } from "../../lib/roles";
import { useNow } from "../../lib/useNow";
import { FormDialog } from "../../ui/FormDialog";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { TableScroll } from "../../ui/TableScroll";
import { emailProblem, FieldError, ListState, serverFieldErrors, unplacedProblem } from "./fields";
import {
  type AdminUser,
  ROLES,
  type Role,
  useCreateUser,
  useUpdateUser,
  useUsers,
} from "./queries";

function personLabel(user: Pick<AdminUser, "name" | "email">): string {
  return user.name ? `${user.name} (${user.email})` : user.email;
}

/** Every user, the form to invite one, and a dialog to change role, lead or access. */
export function UsersTab({ meId }: { meId: string | undefined }) {
  const users = useUsers();
  const now = useNow();
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [inviting, setInviting] = useState(false);

  return (
    <section className="card table-card" aria-labelledby="admin-users-title">
      <div className="card-header">
        <h2 id="admin-users-title">Users</h2>
        <button type="button" className="btn btn-primary btn-sm" onClick={() => setInviting(true)}>
          Invite user
        </button>
      </div>
      <ListState
        query={users}
        what="users"
        isEmpty={(data) => data.length === 0}
        emptyTitle="No users yet"
      >
        {(data) => (
          <TableScroll label="Users">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Lead</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Active</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((user) => (
                  <tr key={user.id}>
                    <td>
                      {user.name ?? <span className="muted">—</span>}
                      {user.id === meId ? <span className="muted small"> (you)</span> : null}
                    </td>
                    <td>{user.email}</td>
                    <td>{roleLabel(user.role)}</td>
                    <td title={user.lead_email ?? undefined}>
                      {user.lead_email ? (
                        (user.lead_name ?? user.lead_email)
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td title={formatUtcDateTime(user.last_login_at)}>
                      {formatTimeAgo(user.last_login_at, now)}
                    </td>
                    <td>
                      {user.is_active ? (
                        <Pill tone="green">Active</Pill>
                      ) : (
                        <Pill tone="neutral">Deactivated</Pill>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-sm"
                        aria-label={`Edit ${user.email}`}
                        onClick={() => setEditing(user)}
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </ListState>
      {inviting ? (
        <InviteDialog users={users.data ?? []} onClose={() => setInviting(false)} />
      ) : null}
      {editing ? (
        <EditUserDialog
          user={editing}
          users={users.data ?? []}
          self={editing.id === meId}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}

function LeadSelect({
  id,
  users,
  exclude,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  users: readonly AdminUser[];
  exclude?: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  const leads = users.filter((u) => u.is_active && u.id !== exclude);
  return (
    <select
      id={id}
      className="select"
      value={value}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">Nobody</option>
      {leads.map((u) => (
        <option key={u.id} value={u.id}>
          {personLabel(u)}
        </option>
      ))}
    </select>
  );
}

function InviteDialog({ users, onClose }: { users: readonly AdminUser[]; onClose: () => void }) {
  const id = useId();
  const create = useCreateUser();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("csm");
  const [lead, setLead] = useState("");
  const [password, setPassword] = useState("");
  const [touched, setTouched] = useState(false);

  const server = serverFieldErrors(create.error);
  const emailLocal = touched ? emailProblem(email) : null;
  const passwordLocal =
    password && password.length < 8
      ? "At least 8 characters (or leave it empty to set one later)."
      : null;
  const invalid = emailProblem(email) !== null || passwordLocal !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    create.mutate(
      {
        email: email.trim(),
        name: name.trim() || null,
        role,
        lead_id: lead || null,
        password: password || null,
      },
      { onSuccess: onClose },
    );
  };

  const fieldMessages = (field: string, local: string | null) => [
    ...(local ? [local] : []),
    ...(server.get(field) ?? []),
  ];
  return (
    <FormDialog
      title="Invite a user"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Invite"
      pendingLabel="Inviting…"
      pending={create.isPending}
      disabled={invalid}
    >
      <div className="field">
        <label className="field-label" htmlFor={`${id}-email`}>
          Email
        </label>
        <input
          id={`${id}-email`}
          className="input"
          type="email"
          value={email}
          maxLength={320}
          aria-invalid={fieldMessages("email", emailLocal).length > 0}
          aria-describedby={`${id}-email-error`}
          onChange={(e) => setEmail(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        <FieldError id={`${id}-email-error`} messages={fieldMessages("email", emailLocal)} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-role`}>
          Role
        </label>
        <select
          id={`${id}-role`}
          className="select"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-lead`}>
          Reports to
        </label>
        <LeadSelect
          id={`${id}-lead`}
          users={users}
          value={lead}
          onChange={setLead}
          invalid={server.has("lead_id")}
          describedBy={`${id}-lead-error`}
        />
        <FieldError id={`${id}-lead-error`} messages={server.get("lead_id") ?? []} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-password`}>
          Password <span className="field-hint">Optional; they can be given one later.</span>
        </label>
        <input
          id={`${id}-password`}
          className="input"
          type="password"
          autoComplete="new-password"
          value={password}
          maxLength={1024}
          aria-invalid={fieldMessages("password", passwordLocal).length > 0}
          aria-describedby={`${id}-password-error`}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FieldError
          id={`${id}-password-error`}
          messages={fieldMessages("password", passwordLocal)}
        />
      </div>
      {unplacedProblem(create.error, ["email", "lead_id", "password"]) ? (
        <ProblemAlert error={create.error} />
      ) : null}
    </FormDialog>
  );
}

function EditUserDialog({
  user,
  users,
  self,
  onClose,
}: {
  user: AdminUser;
  users: readonly AdminUser[];
  self: boolean;
  onClose: () => void;
}) {
  const id = useId();
  const update = useUpdateUser();
  const [name, setName] = useState(user.name ?? "");
  const [role, setRole] = useState<Role>(user.role);
  const [lead, setLead] = useState(user.lead_id ?? "");
  const [active, setActive] = useState(user.is_active);
  const server = serverFieldErrors(update.error);

  const changes = {
    ...(name.trim() !== (user.name ?? "") ? { name: name.trim() || null } : {}),
    ...(role !== user.role ? { role } : {}),
    ...(lead !== (user.lead_id ?? "") ? { lead_id: lead || null } : {}),
    ...(active !== user.is_active ? { is_active: active } : {}),
  };
  const unchanged = Object.keys(changes).length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (unchanged) return;
    update.mutate({ id: user.id, body: changes }, { onSuccess: onClose });
  };

  return (
    <FormDialog
      title={`Edit ${user.email}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save"
      pendingLabel="Saving…"
      pending={update.isPending}
      disabled={unchanged}
    >
      <div className="field">
        <label className="field-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-role`}>
          Role
        </label>
        <select
          id={`${id}-role`}
          className="select"
          value={role}
          disabled={self}
          aria-invalid={server.has("role")}
          aria-describedby={`${id}-role-help ${id}-role-error`}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
        {self ? (
          <span id={`${id}-role-help`} className="field-hint">
            You can't change your own role; another admin can.
          </span>
        ) : null}
        <FieldError id={`${id}-role-error`} messages={server.get("role") ?? []} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-lead`}>
          Reports to
        </label>
        <LeadSelect
          id={`${id}-lead`}
          users={users}
          exclude={user.id}
          value={lead}
          onChange={setLead}
          invalid={server.has("lead_id")}
          describedBy={`${id}-lead-error`}
        />
        <FieldError id={`${id}-lead-error`} messages={server.get("lead_id") ?? []} />
      </div>
      <label className="check" htmlFor={`${id}-active`}>
        <input
          id={`${id}-active`}
          type="checkbox"
          checked={active}
          disabled={self}
          aria-describedby={`${id}-active-help ${id}-active-error`}
          onChange={(e) => setActive(e.target.checked)}
        />
        Active
      </label>
      <span id={`${id}-active-help`} className="field-hint">
        {self
          ? "You can't deactivate yourself."
          : "A deactivated user can't sign in, and their open sessions end at once."}
      </span>
      <FieldError id={`${id}-active-error`} messages={server.get("is_active") ?? []} />
      {unplacedProblem(update.error, ["role", "lead_id", "is_active"]) ? (
        <ProblemAlert error={update.error} />
      ) : null}
    </FormDialog>
  );
}
